package dev.rayos.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.crash.CrashReport;
import dev.rayos.log.crash.CrashReportFiles;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a panic's words go when their usual place fails (docs/crash-report.md, "Panics"): the
 * console device refuses them (/dev/full), the boot has no room for another report, a clock that
 * cannot stamp the report, a panic inside a panic, and the uncaught-exception handler (installed
 * without halting: the halting one is {@code UncaughtPanicInChildJvmTest}'s, in a child JVM).
 * What reaches stderr is read from this process's stderr.
 */
class PanicFallbacksTest {
    @TempDir
    Path root;

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream realErr;

    @BeforeEach
    void catchStderr() {
        realErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(realErr);
    }

    String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    RootLayout layout() {
        return new RootLayout(root);
    }

    /** Fills a boot's share of report files, as 99 earlier panics of that boot would have. */
    void noRoomForAnotherReport(BootId boot) throws Exception {
        Files.createDirectories(layout().crashPanicsDir());
        Files.writeString(layout().crashReport(boot), "");
        for (int n = 2; n <= CrashReportFiles.MAX_PER_BOOT; n++) {
            Files.writeString(layout().crashPanicsDir().resolve(boot.hex() + "." + n + ".log"), "");
        }
    }

    @Test
    void aBannerTheConsoleDeviceRefusesGoesToStderrAndTheReportIsStillWritten() throws Exception {
        BootId boot = BootId.random();
        Panic.Outcome o;
        try (LogSystem sys = LogSystem.builder(layout()).boot(boot).policy(Policy.parse("console.device = /dev/full\n"))
                .open()) {
            o = Panic.of(sys, "kernel").panic("disk gone");
        }
        assertThat(o.problems()).anySatisfy(p -> assertThat(p).startsWith("console: java.io.IOException"));
        assertThat(stderr()).contains("==== RayOS panic ", "what:   disk gone",
                "report: " + layout().relative(layout().crashReport(boot)));
        assertThat(o.file()).isEqualTo(layout().crashReport(boot));
    }

    @Test
    void aReportTheBootHasNoRoomForIsHeldInTheRingAndTheConsoleSaysWhy() throws Exception {
        BootId boot = BootId.random();
        noRoomForAnotherReport(boot);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Panic.Outcome o;
        try (LogSystem sys = LogSystem.builder(layout()).boot(boot).policy(Policy.DEFAULTS)
                .console(dev.rayos.log.console.ConsoleDevice.unclosable(console)).open()) {
            o = Panic.of(sys, "kernel").panic("scheduler stuck");
        }
        assertThat(o.inRing()).isTrue();
        assertThat(o.file()).isNull();
        String shown = console.toString(StandardCharsets.UTF_8);
        String said = shown.lines().filter(l -> l.startsWith("report: could not write")).findFirst().orElseThrow();
        // the outcome comes first: the line is cut at the banner's width, and a path in the cause is long
        assertThat(said).startsWith("report: could not write " + layout().relative(layout().crashReport(boot))
                + "; held in the ring instead (java.nio.file.FileAlreadyExistsException: ");
        assertThat(said.length()).isLessThanOrEqualTo(Panic.BANNER_WIDTH);
        assertThat(stderr()).doesNotContain("could not write");
    }

    @Test
    void whenNeitherTheConsoleNorTheReportFileTakesThePanicStderrHasBannerAndReason() throws Exception {
        BootId boot = BootId.random();
        noRoomForAnotherReport(boot);
        try (LogSystem sys = LogSystem.builder(layout()).boot(boot).policy(Policy.parse("console.device = /dev/full\n"))
                .open()) {
            Panic.of(sys, "kernel").panic("scheduler stuck");
        }
        assertThat(stderr()).contains("what:   scheduler stuck", "report: could not write "
                + layout().relative(layout().crashReport(boot)) + "; held in the ring instead"
                + " (java.nio.file.FileAlreadyExistsException: ");
    }

    @Test
    void aPanicRaisedInsideAPanicIsNamedOnStderr() throws Exception {
        BootId boot = BootId.random();
        LogSystem[] sys = new LogSystem[1];
        Panic.Outcome[] inner = new Panic.Outcome[1];
        // A console device whose driver panics when it is handed a panic banner.
        java.io.OutputStream device = new java.io.OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (inner[0] == null && new String(b, off, len, StandardCharsets.UTF_8).contains("RayOS panic")) {
                    inner[0] = Panic.of(sys[0], "serial").panic("serial driver\nwedged");
                }
            }
        };
        try (LogSystem s = LogSystem.builder(layout()).boot(boot).policy(Policy.DEFAULTS).console(device).open()) {
            sys[0] = s;
            Panic.of(s, "kernel").panic("first");
        }
        assertThat(inner[0].problems()).containsExactly("panic while panicking");
        assertThat(stderr()).isEqualTo("rayos: panic while panicking: serial driver wedged\n");
    }

    @Test
    void aClockThatCannotStampTheReportStillLeavesAReportSayingWhy() throws Exception {
        BootId boot = BootId.random();
        LogSystemLifecycleTest.SetClock clock = new LogSystemLifecycleTest.SetClock();
        clock.utc = -1_000_000_000L; // a real-time clock that reads 1969-12-31T23:59:59Z
        Panic.Outcome o;
        try (LogSystem sys = LogSystem.builder(layout()).boot(boot).policy(Policy.DEFAULTS).clock(clock)
                .console(new ByteArrayOutputStream()).open()) {
            o = Panic.of(sys, "kernel").panic("rtc battery flat");
        }
        assertThat(o.file()).isEqualTo(layout().crashReport(boot));
        CrashReport r = CrashReportFiles.read(o.file());
        assertThat(r.reason()).isEqualTo("rtc battery flat");
        assertThat(r.attributes()).containsEntry("component", "kernel")
                .hasEntrySatisfying("report_error", e -> assertThat(e).startsWith("java.lang.IllegalArgumentException"));
        assertThat(o.problems()).anySatisfy(p -> assertThat(p).startsWith("report: "));
    }

    @Test
    void theInstalledHandlerPanicsForAnExceptionNobodyCaughtAndHandsBackTheOneItReplaced() throws Exception {
        BootId boot = BootId.random();
        Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
        Thread.UncaughtExceptionHandler earlier = (t, e) -> { };
        try (LogSystem sys = LogSystem.builder(layout()).boot(boot).policy(Policy.DEFAULTS)
                .console(new ByteArrayOutputStream()).open()) {
            Thread.setDefaultUncaughtExceptionHandler(earlier);
            assertThat(Panic.of(sys, "kernel").installAsUncaughtExceptionHandler(false)).isSameAs(earlier);
            Thread worker = new Thread(() -> {
                throw new IllegalStateException("queue gone");
            }, "worker-9");
            worker.start();
            worker.join();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(original);
        }
        CrashReport r = CrashReportFiles.read(layout().crashReport(boot));
        assertThat(r.reason()).isEqualTo("uncaught java.lang.IllegalStateException: queue gone in thread \"worker-9\"");
        assertThat(r.attributes()).containsEntry("origin", "uncaught_exception").containsEntry("thread", "worker-9");
    }
}
