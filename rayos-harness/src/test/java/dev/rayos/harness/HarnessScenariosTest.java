package dev.rayos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.harness.qmp.QmpEvent;
import dev.rayos.log.crash.CrashReport;
import dev.rayos.log.crash.CrashReportFiles;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The harness against a real guest: Debian's kernel and busybox under QEMU TCG. Each test
 * boots its own guest (about 3-8 s to userspace here) and bounds its waits to about 30 s.
 */
@ExtendWith(NoStrayQemu.class)
class HarnessScenariosTest {
    static final Duration BOOT = Duration.ofSeconds(QemuGuest.BOOT_SECONDS);
    @TempDir Path tmp;
    final List<HarnessEvent> events = Collections.synchronizedList(new ArrayList<>());
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final HarnessLog log = new HarnessLog(new PrintWriter(new OutputStreamWriter(logBytes, StandardCharsets.UTF_8), true), Clock.systemUTC());

    MachineConfig.Builder guest(String script) throws Exception {
        return QemuGuest.guest(tmp, script).events(e -> {
            events.add(e);
            log.accept(e);
        });
    }

    static Expectation expect(String marker, int seconds) {
        return new Expectation(marker, Duration.ofSeconds(seconds));
    }

    List<HarnessEvent> named(String event) {
        synchronized (events) {
            return events.stream().filter(e -> e.event().equals(event)).toList();
        }
    }

    List<LogLine> logLines() throws Exception {
        List<LogLine> lines = new ArrayList<>();
        for (String l : logBytes.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(LineCodec.parse(l));
        }
        return lines;
    }

    @Test
    void guestThatPrintsTheBootMarkersPassesWithExitZeroAndAJUnitReport() throws Exception {
        Path serialLog = tmp.resolve("serial.log");
        ByteArrayOutputStream echo = new ByteArrayOutputStream();
        MachineConfig config = guest("""
                echo RAYOS_BOOTLOADER_START version=0.1
                echo RAYOS_KERNEL_START
                # a late kernel message (clocksource, crng) printed inside the split marker would
                # cut it in two on the console; CI saw that once, so the kernel stays quiet here
                echo 1 > /proc/sys/kernel/printk
                printf 'RAYOS_RE'; sleep 0.3; printf 'ADY'; echo ' mode=bicameral'
                while true; do sleep 1; done
                """).serialLog(serialLog).echo(echo).build();

        RunResult r = HarnessRun.run(config, List.of(expect("RAYOS_BOOTLOADER_START", QemuGuest.BOOT_SECONDS), expect("RAYOS_KERNEL_START", 10),
                expect("RAYOS_READY", 10)), null);

        assertThat(r.outcome()).as(r.reason() + "\n" + r.transcript()).isEqualTo(Outcome.PASSED);
        assertThat(r.outcome().exitCode()).isZero();
        assertThat(r.expectations()).allMatch(RunResult.Result::met);
        assertThat(Files.readString(serialLog)).contains("RAYOS_READY mode=bicameral").contains("Linux version");
        assertThat(echo.toString(StandardCharsets.UTF_8)).contains("RAYOS_KERNEL_START");

        Path xml = tmp.resolve("report.xml");
        JUnitReport.write(r, "rayos-harness", xml);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = d.getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(d.getElementsByTagName("testcase").item(2).getAttributes().getNamedItem("name").getNodeValue())
                .isEqualTo("expect RAYOS_READY");

        List<LogLine> lines = logLines();
        assertThat(lines).allMatch(l -> l.component().equals("harness"));
        LogLine summary = lines.get(lines.size() - 1);
        assertThat(summary.event()).isEqualTo("RAYOS_HARNESS_SUMMARY");
        assertThat(summary.get("outcome")).isEqualTo("passed");
        assertThat(summary.get("met")).isEqualTo("3");
        System.out.println("boot to RAYOS_READY run: " + r.durationMs() + " ms");
    }

    @Test
    void guestThatNeverPrintsReadyTimesOutNamingTheMarker() throws Exception {
        MachineConfig config = guest("""
                echo RAYOS_KERNEL_START
                while true; do sleep 1; done
                """).build();
        long start = System.nanoTime();
        RunResult r = HarnessRun.run(config, List.of(expect("RAYOS_KERNEL_START", QemuGuest.BOOT_SECONDS), new Expectation("RAYOS_READY", Duration.ofSeconds(4))), null);
        long took = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(r.outcome().exitCode()).isEqualTo(1);
        assertThat(r.reason()).contains("marker=RAYOS_READY").contains("waited_ms=");
        assertThat(r.expectations().get(1).waitedMs()).isBetween(4000L, 6000L);
        assertThat(took).isLessThan(40_000);
        assertThat(named("RAYOS_HARNESS_TIMEOUT")).singleElement().satisfies(e -> assertThat(e.field("marker")).isEqualTo("RAYOS_READY"));

        Path xml = tmp.resolve("report.xml");
        JUnitReport.write(r, "rayos-harness", xml);
        assertThat(Files.readString(xml)).contains("<failure type=\"timeout\" message=\"RAYOS_READY not seen within 4000 ms\"");
    }

    @Test
    void sysrqPanicEndsTheRunCrashedWithACrashReportHoldingRipAndRegisters() throws Exception {
        MachineConfig config = guest("""
                echo RAYOS_READY
                sleep 0.5
                echo c > /proc/sysrq-trigger
                """).build();
        RootLayout root = new RootLayout(tmp.resolve("root"));
        RunResult r = HarnessRun.run(config, List.of(expect("RAYOS_READY", QemuGuest.BOOT_SECONDS), expect("RAYOS_SHUTDOWN", 30)), root);

        assertThat(r.outcome()).as(r.reason() + "\n" + r.transcript()).isEqualTo(Outcome.CRASHED);
        assertThat(r.outcome().exitCode()).isEqualTo(4);
        assertThat(r.qmpEvents()).extracting(QmpEvent::name).contains("GUEST_PANICKED");
        assertThat(r.crashReport()).isNotNull();
        assertThat(r.crashReport().getParent()).isEqualTo(root.crashPanicsDir());
        CrashReport report = CrashReportFiles.read(r.crashReport());
        assertThat(report.reason()).isEqualTo("Kernel panic - not syncing: sysrq triggered crash");
        assertThat(report.location()).as("RIP").isPresent();
        assertThat(report.registers()).containsKeys("RAX", "RSP", "RBX", "R15");
        assertThat(report.stack()).anyMatch(f -> f.contains("sysrq_handle_crash"));
        assertThat(named("RAYOS_HARNESS_CRASH_REPORT")).singleElement().satisfies(e -> assertThat(e.field("kind")).isEqualTo("panic"));
    }

    @Test
    void frozenQemuIsForceQuitByTheWatchdogWithinItsDeadline() throws Exception {
        MachineConfig config = guest("""
                echo RAYOS_READY
                while true; do sleep 1; done
                """).watchdogInterval(Duration.ofMillis(500)).watchdogDeadline(Duration.ofSeconds(1)).grace(Duration.ofMillis(500)).build();
        try (Machine m = Machine.boot(config)) {
            assertThat(m.await("RAYOS_READY", BOOT).met()).isTrue();
            long frozen = System.nanoTime();
            assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(m.pid())).start().waitFor()).isZero();

            Awaited a = m.await("RAYOS_NEVER", Duration.ofSeconds(30));
            long tookMs = (System.nanoTime() - frozen) / 1_000_000;

            assertThat(a.outcome()).isEqualTo(Outcome.WATCHDOG);
            assertThat(m.isAlive()).isFalse();
            // interval 0.5 s + deadline 1 s + quit 0.5 s + SIGTERM 0.5 s, then SIGKILL
            assertThat(tookMs).isLessThan(8_000);
            HarnessEvent w = named("RAYOS_HOST_WATCHDOG").get(0);
            assertThat(w.field("action")).isEqualTo("force_quit");
            assertThat(w.field("reason")).isEqualTo("qmp_timeout");
            assertThat(w.field("step")).as("a stopped QEMU ignores quit and SIGTERM").isEqualTo("sigkill");
            assertThat(Long.parseLong(w.field("waited_ms"))).isBetween(1000L, 8000L);
        }
        assertThat(logLines()).anyMatch(l -> l.event().equals("RAYOS_HOST_WATCHDOG") && "force_quit".equals(l.get("action")));
    }

    @Test
    void guestSilentLongerThanTheSilenceLimitIsQuitOverQmp() throws Exception {
        MachineConfig config = guest("""
                echo RAYOS_READY
                while true; do sleep 1; done
                """).silenceLimit(Duration.ofSeconds(4)).watchdogInterval(Duration.ofMillis(500)).build();
        try (Machine m = Machine.boot(config)) {
            assertThat(m.await("RAYOS_READY", BOOT).met()).as("%s%n%s", events, m.transcript()).isTrue();
            Awaited a = m.await("RAYOS_NEVER", Duration.ofSeconds(30));
            assertThat(a.outcome()).isEqualTo(Outcome.WATCHDOG);
            assertThat(a.waitedMs()).isBetween(3_000L, 10_000L);
            HarnessEvent w = named("RAYOS_HOST_WATCHDOG").get(0);
            assertThat(w.field("reason")).isEqualTo("console_silent");
            assertThat(w.field("step")).as("a responsive QEMU obeys quit").isEqualTo("quit");
            assertThat(m.qmpEvents()).extracting(QmpEvent::name).contains("SHUTDOWN");
        }
    }

    @Test
    void guestHostEventIsAckedAndTheGuestReadsTheAck() throws Exception {
        MachineConfig config = guest("""
                echo RAYOS_HOST_EVENT_V0:ping
                read -t 20 ack; echo "GUEST_GOT:$ack"
                echo RAYOS_HOST_EVENT_V0:presentation:on
                read -t 20 ack; echo "GUEST_GOT:$ack"
                echo RAYOS_READY
                while true; do sleep 1; done
                """).build();
        try (Machine m = Machine.boot(config)) {
            assertThat(m.await("GUEST_GOT:RAYOS_HOST_ACK:ping:ok:pong", BOOT).met()).as(m.transcript()).isTrue();
            assertThat(m.await("GUEST_GOT:RAYOS_HOST_ACK:presentation:ok:on", Duration.ofSeconds(10)).met()).as(m.transcript()).isTrue();
            assertThat(m.await("RAYOS_READY", Duration.ofSeconds(10)).met()).isTrue();
            assertThat(m.presentation()).isEqualTo("on");
            assertThat(m.acks()).extracting(a -> a.line()).containsExactly("RAYOS_HOST_ACK:ping:ok:pong", "RAYOS_HOST_ACK:presentation:ok:on");
        }
    }

    @Test
    void hostileBridgeInputGetsErrAcksAndTheHarnessCarriesOn() throws Exception {
        MachineConfig config = guest("""
                ask() { echo "RAYOS_HOST_EVENT_V0:$1"; read -t 20 ack; echo "GUEST_GOT:$ack"; }
                ask "$(head -c 6000 /dev/zero | tr '\\000' A)"
                ask '../../etc/passwd'
                ask 'exec:reboot'
                ask 'echo:$(reboot)'
                ask ''
                ask ping
                echo RAYOS_READY
                while true; do sleep 1; done
                """).build();
        try (Machine m = Machine.boot(config)) {
            assertThat(m.await("GUEST_GOT:RAYOS_HOST_ACK:invalid:err:too_long", BOOT).met()).as(m.transcript()).isTrue();
            assertThat(m.await("GUEST_GOT:RAYOS_HOST_ACK:invalid:err:malformed", Duration.ofSeconds(10)).met()).isTrue();
            assertThat(m.await("GUEST_GOT:RAYOS_HOST_ACK:exec:err:unknown_op", Duration.ofSeconds(10)).met()).isTrue();
            assertThat(m.await("GUEST_GOT:RAYOS_HOST_ACK:echo:err:bad_arg", Duration.ofSeconds(10)).met()).isTrue();
            assertThat(m.await("GUEST_GOT:RAYOS_HOST_ACK:invalid:err:malformed", Duration.ofSeconds(10)).met()).isTrue();
            assertThat(m.await("GUEST_GOT:RAYOS_HOST_ACK:ping:ok:pong", Duration.ofSeconds(10)).met()).as("harness still answers").isTrue();
            assertThat(m.await("RAYOS_READY", Duration.ofSeconds(10)).met()).isTrue();
            assertThat(m.ending()).isNull();
            assertThat(m.isAlive()).isTrue();
            assertThat(m.acks()).hasSize(6);
        }
    }

    @Test
    void failOnPatternSeenOnTheConsoleEndsTheRunFailed() throws Exception {
        MachineConfig config = guest("""
                echo 'RAYOS_POLICY_VIOLATION rule=network_default_off'
                sleep 2
                echo RAYOS_READY
                while true; do sleep 1; done
                """).failOn(Pattern.compile("POLICY_VIOLATION rule=\\w+")).build();
        RunResult r = HarnessRun.run(config, List.of(expect("RAYOS_READY", QemuGuest.BOOT_SECONDS)), null);
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL_ON);
        assertThat(r.outcome().exitCode()).isEqualTo(8);
        assertThat(r.reason()).contains("pattern=POLICY_VIOLATION");
    }

    @Test
    void guestThatPowersOffEndsTheRunAsQemuExitedWithShutdownRecorded() throws Exception {
        MachineConfig config = guest("""
                echo RAYOS_KERNEL_START
                poweroff -f
                """).build();
        RunResult r = HarnessRun.run(config, List.of(expect("RAYOS_KERNEL_START", QemuGuest.BOOT_SECONDS), expect("RAYOS_READY", QemuGuest.BOOT_SECONDS)), null);
        assertThat(r.outcome()).as(r.reason()).isEqualTo(Outcome.QEMU_EXITED);
        assertThat(r.outcome().exitCode()).isEqualTo(7);
        assertThat(r.qmpEvents()).extracting(QmpEvent::name).contains("SHUTDOWN");
        assertThat(r.expectations().get(0).met()).isTrue();
    }

    @Test
    void qemuThatCannotStartIsReportedWithItsStderr() throws Exception {
        MachineConfig config = QemuGuest.guest(tmp, "true").kernel(tmp.resolve("no-such-kernel")).events(events::add).build();
        RunResult r = HarnessRun.run(config, List.of(expect("RAYOS_READY", QemuGuest.BOOT_SECONDS)), null);
        assertThat(r.outcome()).isEqualTo(Outcome.QEMU_START_FAILED);
        assertThat(r.outcome().exitCode()).isEqualTo(6);
        assertThat(r.reason()).contains("no-such-kernel");
        assertThat(named("RAYOS_HARNESS_SUMMARY")).singleElement().satisfies(e -> assertThat(e.field("outcome")).isEqualTo("qemu_start_failed"));
    }
}
