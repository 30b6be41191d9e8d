package dev.rayos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.harness.qmp.QmpEvent;
import dev.rayos.log.crash.CrashReport;
import dev.rayos.log.crash.CrashReportFiles;
import dev.rayos.log.crash.KernelCrash;
import dev.rayos.log.crash.KernelCrashScanner;
import dev.rayos.log.root.RootLayout;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture of real kernel crashes (issue 4's "live QEMU capture"): a guest panics under
 * QEMU, the harness streams its console through the crash library's
 * {@link KernelCrashScanner} while it runs, and the report written matches what the scanner
 * finds in the captured console afterwards.
 */
@ExtendWith(NoStrayQemu.class)
class CrashCaptureTest {
    @TempDir Path tmp;

    @Test
    void sysrqPanicIsReadLiveByTheKernelCrashScannerWithRegistersAndTrace() throws Exception {
        MachineConfig config = QemuGuest.guest(tmp, """
                echo RAYOS_READY
                echo c > /proc/sysrq-trigger
                """).build();
        List<KernelCrash> live;
        String transcript;
        try (Machine m = Machine.boot(config)) {
            Awaited a = m.await("RAYOS_NEVER", Duration.ofSeconds(QemuGuest.BOOT_SECONDS));
            assertThat(a.outcome()).as(m.transcript()).isEqualTo(Outcome.CRASHED);
            assertThat(m.qmpEvents()).extracting(QmpEvent::name).contains("GUEST_PANICKED");
            live = m.crashes();
            transcript = m.transcript();
        }
        assertThat(live).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(KernelCrash.Kind.PANIC);
            assertThat(c.panicReason()).contains("sysrq triggered crash");
            assertThat(c.rip()).isPresent();
            assertThat(c.registers()).containsKeys("RAX", "RBX", "RCX", "RDX", "RSP", "RBP", "R08", "R15");
            assertThat(c.callTrace()).anyMatch(f -> f.contains("sysrq_handle_crash"));
            assertThat(c.kernelRelease()).hasValueSatisfying(r -> assertThat(r).endsWith("-amd64"));
        });
        // what was read live is what a scan of the whole captured console finds
        List<KernelCrash> offline = KernelCrashScanner.scan(new StringReader(transcript));
        assertThat(offline).hasSize(1);
        assertThat(offline.get(0).registers()).isEqualTo(live.get(0).registers());
        assertThat(offline.get(0).rip()).isEqualTo(live.get(0).rip());
    }

    @Test
    void initThatExitsPanicsTheKernelAndTheRunEndsCrashedWithAReport() throws Exception {
        MachineConfig config = QemuGuest.guest(tmp, """
                echo RAYOS_READY
                exit 3
                """).build();
        RootLayout root = new RootLayout(tmp.resolve("root"));
        RunResult r = HarnessRun.run(config, List.of(new Expectation("RAYOS_READY", Duration.ofSeconds(QemuGuest.BOOT_SECONDS)),
                new Expectation("RAYOS_SHUTDOWN", Duration.ofSeconds(30))), root);

        assertThat(r.outcome()).as(r.reason() + "\n" + r.transcript()).isEqualTo(Outcome.CRASHED);
        assertThat(r.expectations().get(0).met()).isTrue();
        assertThat(r.crashReport()).isNotNull();
        CrashReport report = CrashReportFiles.read(r.crashReport());
        assertThat(report.reason()).startsWith("Kernel panic - not syncing: Attempted to kill init!").contains("exitcode=0x00000300");
        assertThat(report.stack()).isNotEmpty();
    }

    @Test
    void aPanicThatRebootsAtOnceUnderNoRebootIsReportedCrashedNotQemuExited() throws Exception {
        // panic=-1: the kernel reboots the moment it has printed the panic; under -no-reboot QEMU
        // exits right after. The harness must read the console to its end before it judges the exit.
        MachineConfig config = QemuGuest.guest(tmp, """
                echo RAYOS_READY
                echo c > /proc/sysrq-trigger
                """).append("console=ttyS0 quiet panic=-1").pvpanic(false).build();
        RootLayout root = new RootLayout(tmp.resolve("root"));
        RunResult r = HarnessRun.run(config, List.of(new Expectation("RAYOS_READY", Duration.ofSeconds(QemuGuest.BOOT_SECONDS)),
                new Expectation("RAYOS_SHUTDOWN", Duration.ofSeconds(30))), root);

        assertThat(r.outcome()).as(r.reason() + "\n" + r.transcript()).isEqualTo(Outcome.CRASHED);
        assertThat(r.outcome().exitCode()).isEqualTo(4);
        assertThat(r.crashReport()).isNotNull();
        CrashReport report = CrashReportFiles.read(r.crashReport());
        assertThat(report.reason()).contains("sysrq triggered crash");
        assertThat(report.registers()).containsKeys("RAX", "RSP");
        assertThat(report.stack()).isNotEmpty();
    }
}
