package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.harness.guest.GuestKit;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HarnessCommandTest {
    @TempDir Path tmp;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @AfterEach
    void noQemuIsLeftBehind() throws InterruptedException {
        List<String> stray = List.of();
        for (int i = 0; i < 50; i++) {
            stray = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
            if (stray.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(stray).as("QEMU processes left behind").isEmpty();
    }

    int rayos(String... args) {
        CommandLine cl = RayosCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    List<String> guestArgs(String script) throws Exception {
        assumeTrue(GuestKit.qemuPresent(), "skipped: qemu-system-x86_64 is not installed (run .ci/install-harness.sh)");
        GuestKit kit = GuestKit.find().orElseGet(() -> fail("QEMU is installed but the guest parts are not: " + GuestKit.missing()));
        Path initrd = kit.initramfs(tmp, script);
        return new ArrayList<>(List.of("harness", "run", "--kernel", kit.kernel().toString(), "--initrd", initrd.toString(),
                "--append", GuestKit.APPEND));
    }

    @Test
    void readyGuestExitsZeroWritesReportAndSerialLogAndLogsASummaryLine() throws Exception {
        List<String> args = guestArgs("echo RAYOS_KERNEL_START; echo RAYOS_READY; while true; do sleep 1; done");
        Path report = tmp.resolve("junit.xml");
        Path serial = tmp.resolve("serial.log");
        args.addAll(List.of("--expect", "RAYOS_KERNEL_START@90s", "--expect", "RAYOS_READY@10s",
                "--report", report.toString(), "--serial-log", serial.toString()));

        int code = rayos(args.toArray(String[]::new));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).as("console echoed on stdout").contains("RAYOS_READY");
        assertThat(Files.readString(serial)).contains("RAYOS_READY");
        assertThat(Files.readString(report)).contains("tests=\"2\"").contains("failures=\"0\"");
        List<LogLine> lines = new ArrayList<>();
        for (String l : err.toString().split("\n")) {
            lines.add(LineCodec.parse(l));
        }
        assertThat(lines).allMatch(l -> l.component().equals("harness"));
        assertThat(lines.get(lines.size() - 1).event()).isEqualTo("RAYOS_HARNESS_SUMMARY");
        assertThat(lines.get(lines.size() - 1).get("outcome")).isEqualTo("passed");
    }

    @Test
    void guestThatNeverGetsReadyExitsOneQuietlyWithAFailedTestCase() throws Exception {
        List<String> args = guestArgs("echo RAYOS_KERNEL_START; while true; do sleep 1; done");
        Path report = tmp.resolve("junit.xml");
        args.addAll(List.of("--quiet", "--expect", "RAYOS_KERNEL_START@90s", "--expect", "RAYOS_READY@3s", "--report", report.toString()));

        int code = rayos(args.toArray(String[]::new));

        assertThat(code).as(err.toString()).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(Files.readString(report)).contains("failures=\"1\"").contains("RAYOS_READY not seen within 3000 ms");
        assertThat(err.toString()).contains("RAYOS_HARNESS_SUMMARY").contains("outcome=timeout");
    }

    @Test
    void aPanicThatRebootsAtOnceExitsFourWithItsCrashReportNotQemuExited() throws Exception {
        // issue 11, bug 1: with panic=-1 the guest reboots the moment the panic is printed and QEMU
        // (-no-reboot) exits; the whole panic is on the serial line, so the run is crashed (exit 4)
        List<String> args = guestArgs("echo RAYOS_READY; echo c > /proc/sysrq-trigger");
        args.set(args.indexOf("--append") + 1, "console=ttyS0 quiet panic=-1 no_timer_check");
        Path root = tmp.resolve("root");
        args.addAll(List.of("--root", root.toString(), "--quiet", "--expect", "RAYOS_READY@90s",
                "--expect", "RAYOS_SHUTDOWN@30s"));

        int code = rayos(args.toArray(String[]::new));

        assertThat(code).as(err.toString()).isEqualTo(4);
        assertThat(err.toString()).contains("outcome=crashed").doesNotContain("outcome=qemu_exited");
        List<Path> reports;
        try (var s = Files.list(root.resolve("var/rayos/crash/panics"))) {
            reports = s.toList();
        }
        assertThat(reports).singleElement().satisfies(r -> assertThat(Files.readString(r))
                .contains("reason=Kernel panic - not syncing: sysrq triggered crash").contains("RIP"));
    }

    @Test
    void anExpectationWithABadTimeoutIsBadInputNotAMarkerName() {
        assertThat(rayos("harness", "run", "--kernel", "/etc/hostname", "--expect", "RAYOS_NEVER@bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("--expect 'RAYOS_NEVER@bogus'").hasLineCount(1);
    }

    @Test
    void runWithoutExpectIsBadUsageOnOneLine() {
        int code = rayos("harness", "run", "--kernel", "/nonexistent");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n").contains("--expect");
    }

    @Test
    void badDurationAndUnreadableKernelAreBadInput() {
        assertThat(rayos("harness", "run", "--kernel", "/etc/hostname", "--expect", "X", "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--timeout 'soon' is not a duration");
        assertThat(rayos("harness", "run", "--kernel", tmp.resolve("missing").toString(), "--expect", "X")).isEqualTo(2);
        assertThat(rayos("harness", "run", "--kernel", "/etc/hostname", "--expect", "X", "--fail-on", "(")).isEqualTo(2);
    }
}
