package dev.rayos.log;

import dev.rayos.log.line.Marker;
import dev.rayos.log.console.ConsoleDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.ring.RingImage;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RingRecovery;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log system through a boot: early lines held in the ring until the data partition is mounted
 * (and lost ones counted), mono time until the wall clock is known, readiness markers told to the
 * boot history, a store that cannot write and then can, a policy that does not parse, where the
 * console goes, and what a line that is too long becomes. Time is set, not waited for.
 */
class LogSystemLifecycleTest {
    static final long UTC_10H = 1_796_551_200_000_000_000L; // 2026-12-06T10:00:00Z

    @TempDir
    Path root;

    /** The machine's two clocks, set by the test. */
    static final class SetClock implements LogClock {
        volatile long mono = 5_000_000_000L;
        volatile long utc = UTC_10H;

        @Override
        public long monoNanos() {
            return mono;
        }

        @Override
        public long utcNanos() {
            return utc;
        }
    }

    LogSystem.Builder builder(BootId boot) {
        return LogSystem.builder(new RootLayout(root)).boot(boot).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS);
    }

    List<String> lines(String category, BootId boot) throws IOException {
        Path f = new RootLayout(root).logFile(category, boot);
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    @Test
    void earlyLinesWaitInTheRingUntilMountAndCarryMonoTimeUntilTheWallClockIsKnown() throws Exception {
        BootId boot = BootId.random();
        SetClock clock = new SetClock();
        try (LogSystem sys = builder(boot).clock(clock).mounted(false).wallClockKnown(false).open()) {
            Logger k = sys.logger("kernel");
            k.info("EARLY").kv("i", 1).log();
            k.error("EARLY_ERROR").log(); // urgent, but there is no file to make it durable in yet
            assertThat(sys.wallClockKnown()).isFalse();
            assertThat(lines("boot", boot)).as("nothing written before the data partition is there").isEmpty();
            clock.mono += 1000;
            sys.mount();
            sys.mount(); // a second mount changes nothing
            k.info("MOUNTED").log();
            sys.wallClockBecameKnown();
            k.info("SYNCED").kv("on", true).log();
            sys.flush();
            assertThat(lines("boot", boot)).containsExactly(
                    "mono:5000000000 INFO kernel EARLY i=1",
                    "mono:5000000000 ERROR kernel EARLY_ERROR",
                    "mono:5000001000 INFO kernel MOUNTED",
                    "2026-12-06T10:00:00.000000Z INFO kernel SYNCED on=true");
        }
    }

    @Test
    void linesTheEarlyRingHadToOverwriteAreCountedAndReportedAtMount() throws Exception {
        BootId boot = BootId.random();
        String pad = "x".repeat(1000);
        int n = 400; // about 420 KiB: more than the 256 KiB ring
        try (LogSystem sys = builder(boot).policy(Policy.parse("ring.size = 256KiB\n")).mounted(false).open()) {
            Logger k = sys.logger("kernel");
            for (int i = 0; i < n; i++) {
                k.info("EARLY").kv("i", i).kv("pad", pad).log();
            }
            sys.mount();
            sys.flush();
            long lost = sys.ring().lost();
            assertThat(lost).isPositive();
            List<String> got = lines("boot", boot);
            List<String> early = got.stream().filter(l -> l.contains(" EARLY ")).toList();
            assertThat(early).hasSize((int) (n - lost));
            for (int k2 = 0; k2 < early.size(); k2++) {
                assertThat(early.get(k2)).contains(" EARLY i=" + (lost + k2) + " ");
            }
            assertThat(got).anySatisfy(l -> assertThat(l).endsWith(" WARN log RAYOS_LOG_DROPPED sink=ring count=" + lost));
        }
    }

    @Test
    void readinessMarkersAreToldToTheBootHistoryWithTheirTimesAndAFailingListenerNeverFailsTheCall() throws Exception {
        BootId boot = BootId.random();
        SetClock clock = new SetClock();
        List<String> heard = new CopyOnWriteArrayList<>();
        try (LogSystem sys = builder(boot).clock(clock).onMarker((b, m, mono, utc) -> heard.add(
                b.hex() + " " + m + " " + mono + " " + utc)).open()) {
            Logger k = sys.logger("kernel");
            k.info(Marker.KERNEL_START).log();
            k.info("RAYOS_SOMETHING_ELSE").log(); // a marker, but not one of readiness
            k.info("TICK").log();
        }
        assertThat(heard).containsExactly(boot.hex() + " RAYOS_KERNEL_START 5000000000 2026-12-06T10:00:00.000000Z");

        BootId early = BootId.random();
        heard.clear();
        try (LogSystem sys = builder(early).clock(clock).wallClockKnown(false).onMarker((b, m, mono, utc) -> {
            heard.add(m + " " + mono + " " + utc);
            throw new IOException("history is read-only");
        }).open()) {
            sys.logger("kernel").info(Marker.READY).log();
            sys.logger("kernel").info(Marker.PRESENTATION_ON).log();
        }
        assertThat(heard).containsExactly("RAYOS_READY 5000000000 null", "RAYOS_PRESENTATION:on 5000000000 null");
        assertThat(lines("boot", early)).hasSize(2);
    }

    @Test
    void aStoreThatCannotWriteSaysWhyInWordsAndCatchesUpOnceItCan() throws Exception {
        BootId boot = BootId.random();
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.logsDir());
        Files.writeString(layout.categoryDir("boot"), "a file where the directory goes\n");
        try (LogSystem sys = builder(boot).open()) {
            sys.logger("kernel").error("DISK_TROUBLE").log(); // returns: the line waits in the ring
            assertThat(sys.storeFailure()).isNotNull();
            assertThat(sys.storeFailureInWords()).isEqualTo(layout.categoryDir("boot") + ": exists and is not a directory");
            Files.delete(layout.categoryDir("boot"));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (sys.storeFailure() != null && System.nanoTime() < deadline) {
                Thread.sleep(20); // the store retries with a back-off
            }
            assertThat(sys.storeFailureInWords()).isNull();
            sys.logger("kernel").info("RECOVERED").log();
            sys.flush();
            assertThat(lines("boot", boot)).hasSize(2).first().asString().endsWith(" ERROR kernel DISK_TROUBLE");
        }
    }

    @Test
    void aPolicyFileThatDoesNotParseIsReportedFirstAndTheDefaultsApply() throws Exception {
        BootId boot = BootId.random();
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.policyFile().getParent());
        Files.writeString(layout.policyFile(), "ring.size = 64KiB\nno such key = 1\n");
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).console(new ByteArrayOutputStream()).open()) {
            assertThat(sys.policy().ringBytes()).isEqualTo(Policy.DEFAULTS.ringBytes());
            sys.logger("kernel").info("TICK").log();
        }
        List<String> got = lines("boot", boot);
        assertThat(got).hasSize(2);
        LogLine warn = LineCodec.parse(got.get(0));
        assertThat(warn.event()).isEqualTo(Marker.POLICY_INVALID);
        assertThat(warn.component()).isEqualTo(LogSystem.SELF);
        assertThat(warn.get("file")).isEqualTo("etc/rayos/policy.conf");
        assertThat(warn.get("line")).isEqualTo("1");
    }

    @Test
    void aConsoleDeviceUnderTheRootIsCreatedThereAndOneLeadingOutOfItIsRefused() throws Exception {
        BootId boot = BootId.random();
        RootLayout layout = new RootLayout(root);
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).policy(Policy.parse("console.device = dev/ttyS9\n"))
                .open()) {
            sys.logger("kernel").info(Marker.READY).log();
            sys.awaitConsole(10_000);
        }
        assertThat(Files.readString(root.resolve("dev/ttyS9"))).endsWith(" INFO kernel RAYOS_READY\n");
        assertThatThrownBy(() -> LogSystem.builder(layout).boot(BootId.random())
                .policy(Policy.parse("console.device = ../outside\n")).open())
                .isInstanceOf(IOException.class).hasMessage("console.device '../outside' leads outside the root");
        assertThat(layout.ringDir()).as("the refused start leaves no ring behind").isEmptyDirectory();
        assertThatThrownBy(() -> LogSystem.builder(layout).open()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBannerWrittenStraightToTheConsoleComesAfterTheLinesLoggedBeforeIt() throws Exception {
        BootId boot = BootId.random();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (LogSystem sys = builder(boot).console(ConsoleDevice.unclosable(console)).open()) {
            Logger k = sys.logger("kernel");
            for (int i = 0; i < 50; i++) {
                k.warn("BEFORE").kv("i", i).log();
            }
            sys.awaitConsole(30_000);
            sys.writeConsoleNow("*** PANIC ***\n".getBytes(StandardCharsets.US_ASCII));
            String shown = console.toString(StandardCharsets.US_ASCII);
            assertThat(shown).endsWith(" WARN kernel BEFORE i=49\n*** PANIC ***\n");
            assertThat(sys.consoleDropped()).isZero();
        }
    }

    @Test
    void aLoggerNamedForACategoryWritesThereAndIsSharedByItsName() throws Exception {
        BootId boot = BootId.random();
        try (LogSystem sys = builder(boot).open()) {
            Logger auth = sys.logger("sshd", "auth");
            assertThat(sys.logger("sshd", "auth")).isSameAs(auth);
            assertThat(sys.logger("sshd")).isNotSameAs(auth).isSameAs(sys.logger("sshd"));
            assertThat(auth.category()).isEqualTo("auth");
            assertThat(auth.component()).isEqualTo("sshd");
            auth.notice("LOGIN").kv("user", "root").log();
            assertThatThrownBy(() -> sys.logger("sshd", "Auth")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sys.logger("Sshd", "auth")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sys.logger("Sshd")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(lines("auth", boot)).singleElement().asString().endsWith(" NOTICE sshd LOGIN user=root");
    }

    @Test
    void aValueTooLongForTheLineIsCutTheLineSaysSoAndStaysOneLine() throws Exception {
        BootId boot = BootId.random();
        try (LogSystem sys = builder(boot).open()) {
            sys.logger("kernel").info("BIG").kv("a", "y".repeat(70_000)).kv("b", "after").kv("n", 7).log();
            sys.logger("kernel").info("QUOTED").kv("a", "z z".repeat(30_000)).log();
            sys.logger("kernel").info("SMALL").kv("n", -12).kv("ok", false).kv("nothing", (CharSequence) null).log();
        }
        List<String> got = lines("boot", boot);
        assertThat(got).hasSize(3);
        for (String l : got.subList(0, 2)) {
            assertThat(l.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LineCodec.MAX_LINE_BYTES);
            LogLine parsed = LineCodec.parse(l);
            assertThat(parsed.get("_truncated")).isEqualTo("true");
            assertThat(parsed.get("b")).as("nothing is added after the cut").isNull();
        }
        assertThat(got.get(2)).endsWith(" INFO kernel SMALL n=-12 ok=false nothing=null");
    }

    @Test
    void belowTheMinimumLevelNothingIsLoggedAndRedactedCategoriesHideNumbersToo() throws Exception {
        BootId boot = BootId.random();
        try (LogSystem sys = builder(boot).policy(Policy.parse("log.min_level = warn\n")).open()) {
            Logger k = sys.logger("kernel");
            assertThat(k.isEnabled(dev.rayos.log.line.Level.INFO)).isFalse();
            assertThat(k.isEnabled(dev.rayos.log.line.Level.WARN)).isTrue();
            k.info("HIDDEN").kv("n", 1).kv("s", "x").kv("b", true).log();
            k.debug("HIDDEN").log();
            k.warn("SHOWN").log();
            Logger input = sys.logger("input.keyboard");
            assertThat(input.redacted()).isTrue();
            input.crit("KEY").kv("code", 42).kv("down", true).log();
        }
        assertThat(lines("boot", boot)).singleElement().asString().endsWith(" WARN kernel SHOWN");
        assertThat(lines("input", boot)).singleElement().asString()
                .endsWith(" CRIT input.keyboard KEY code=[redacted] down=[redacted]");
    }

    @Test
    void aStartThatCannotWriteOutAnOrphanHoldingItsRingsNameLeavesItWholeAndRunsBesideIt() throws Exception {
        RootLayout layout = new RootLayout(root);
        long pid = ProcessHandle.current().pid();
        // Two starts before the data partition comes, in one process: the second has the first's
        // pid, as a process of an earlier boot may have, and cannot write the first's lines out.
        BootId first = BootId.random();
        try (LogSystem gone = builder(first).mounted(false).open()) {
            assertThat(gone.ring().path().getFileName()).hasToString(pid + ".ring");
            gone.logger("kernel").info("FIRST").kv("i", 1).log();
        }
        BootId second = BootId.random();
        try (LogSystem again = builder(second).mounted(false).open()) {
            assertThat(again.ring().path().getFileName()).hasToString(pid + "-1.ring");
            again.logger("kernel").info("SECOND").kv("i", 2).log();
        }
        RingImage kept = RingImage.read(Files.readAllBytes(layout.ringDir().resolve(pid + ".ring")));
        assertThat(kept.pending()).singleElement().satisfies(r -> assertThat(r.text()).endsWith(" INFO kernel FIRST i=1"));
        try (LogSystem sys = builder(BootId.random()).open()) {
            assertThat(sys.recovered()).extracting(RingRecovery.Outcome::boot).containsExactlyInAnyOrder(first, second);
        }
        assertThat(lines("boot", first)).singleElement().asString().endsWith(" INFO kernel FIRST i=1");
        assertThat(lines("boot", second)).singleElement().asString().endsWith(" INFO kernel SECOND i=2");
    }

    @Test
    void aRingPathTheCallerChoseThatHoldsAnOrphansLinesIsRefusedUntilTheStoreCanWriteThemOut() throws Exception {
        Path chosen = root.resolve("shm/mine.ring"); // outside run/rayos/ring, as a tmpfs ring may be
        BootId first = BootId.random();
        try (LogSystem gone = builder(first).ring(chosen).mounted(false).open()) {
            gone.logger("kernel").info("FIRST").kv("i", 1).log();
        }
        byte[] orphan = Files.readAllBytes(chosen);
        assertThatThrownBy(() -> builder(BootId.random()).ring(chosen).mounted(false).open())
                .isInstanceOf(IOException.class)
                .hasMessage("ring " + chosen + " holds lines of an earlier process that could not be written out"
                        + " (the store is not mounted); start with the store mounted to write them out, or give"
                        + " another ring path");
        assertThat(Files.readAllBytes(chosen)).isEqualTo(orphan);
        try (LogSystem sys = builder(BootId.random()).ring(chosen).open()) {
            assertThat(sys.recovered()).extracting(RingRecovery.Outcome::boot).containsExactly(first);
        }
        assertThat(lines("boot", first)).singleElement().asString().endsWith(" INFO kernel FIRST i=1");
    }

    @Test
    void startUpWritesOutAnOrphanedRingAndSaysSo() throws Exception {
        BootId dead = BootId.random();
        RootLayout layout = new RootLayout(root);
        // A process that ended with lines still in its ring: the data partition never came.
        try (LogSystem gone = builder(dead).mounted(false).open()) {
            gone.logger("kernel").info("LAST_WORDS").kv("i", 1).log();
            gone.logger("kernel").info("LAST_WORDS").kv("i", 2).log();
        }
        BootId next = BootId.random();
        List<String> shown = new ArrayList<>();
        try (LogSystem sys = builder(next).open()) {
            assertThat(sys.recovered()).singleElement().satisfies(o -> {
                assertThat(o.boot()).isEqualTo(dead);
                assertThat(o.written()).isEqualTo(2);
            });
            assertThat(sys.crashWriteOuts()).isEmpty();
        }
        assertThat(lines("boot", dead)).hasSize(2).allSatisfy(l -> assertThat(l).contains(" INFO kernel LAST_WORDS i="));
        shown.addAll(lines("boot", next));
        assertThat(shown).singleElement().asString().contains(" INFO log RAYOS_LOG_RECOVERED ring=")
                .endsWith(" boot=" + dead.hex() + " lines=2 already_in_files=0");
        assertThat(layout.ringDir()).isEmptyDirectory();
    }

    @Test
    void moreLanesThanTheRingSizeHoldsAreRefusedInOneLineAndLeaveNoRing() throws Exception {
        RootLayout layout = new RootLayout(root);
        assertThatThrownBy(() -> builder(BootId.random()).lanes(17).open()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ring.size 4194304 is too small for 17 lanes of at least 256 KiB each (at most 16 lanes)");
        assertThat(layout.ringDir()).satisfiesAnyOf(d -> assertThat(d).doesNotExist(),
                d -> assertThat(d).isEmptyDirectory());
        try (LogSystem sys = builder(BootId.random()).lanes(16).open()) {
            assertThat(LogSystems.ringOf(sys).lanes()).isEqualTo(16);
            assertThat(LogSystems.ringOf(sys).capacity()).isEqualTo(256 * 1024);
        }
    }

    @Test
    void twoThreadsLogThroughLanesOfTheirOwnIntoOneFileEachInItsOrder() throws Exception {
        BootId boot = BootId.random();
        try (LogSystem sys = builder(boot).lanes(2).open()) {
            Thread[] ts = new Thread[2];
            for (int t = 0; t < 2; t++) {
                int id = t;
                ts[t] = new Thread(() -> {
                    for (int n = 0; n < 2000; n++) {
                        sys.logger("app").info("TICK").kv("t", id).kv("n", n).log();
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            sys.flush();
            assertThat(LogSystems.ringOf(sys).lanes()).isEqualTo(2);
        }
        int[] next = new int[2];
        for (String l : Files.readAllLines(new RootLayout(root).logFile("boot", boot))) {
            if (l.contains(" TICK ")) {
                int t = l.contains(" t=0 ") ? 0 : 1;
                assertThat(l).endsWith(" n=" + next[t]);
                next[t]++;
            }
        }
        assertThat(next).containsExactly(2000, 2000);
    }
}
