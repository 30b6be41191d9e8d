package dev.rayos.log.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.LogSystem;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.ProcessId;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logging process's troubles, kept in {@code run/rayos/status/<pid>.status} where {@code rayos
 * status} (another process) reads them: written at the first report, kept current as kinds clear,
 * read back per boot, and never trusted further than its lines parse (docs/status-file.md).
 */
class StatusFileTest {
    static final BootId BOOT = BootId.parse("0123456789abcdef0123456789abcdef");

    @TempDir
    Path root;

    private static void await(BooleanSupplier what, String why) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!what.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 60 s: " + why);
            }
            Thread.sleep(20);
        }
    }

    private static List<StatusFile.Report> reports(RootLayout layout, BootId boot) {
        try {
            return StatusFile.readAll(layout, boot).reports();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aStoreThatCannotWriteIsInTheProcesssStatusFileAsFailingUntilItWritesAgain() throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        Files.createDirectories(layout.logsDir());
        Files.writeString(layout.categoryDir("boot"), "a file where the directory goes\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).statusTo(new PrintStream(err, true, StandardCharsets.UTF_8)).open()) {
            sys.logger("app").info("HELLO").log();
            await(() -> !reports(layout, boot).isEmpty(), "a report in the status file");
            assertThat(layout.statusFile(ProcessId.current())).isRegularFile();
            assertThat(reports(layout, boot)).first().satisfies(r -> {
                assertThat(r.pid()).isEqualTo(ProcessId.current());
                assertThat(r.kind()).isEqualTo("store");
                assertThat(r.active()).isTrue();
                assertThat(r.message()).startsWith("cannot write logs: ").contains("exists and is not a directory");
                assertThat(r.ts().mono()).as("a log system knows the wall clock unless told otherwise").isFalse();
            });
            assertThat(StatusFile.readAll(layout, BootId.random()).reports()).as("another boot's").isEmpty();

            Files.delete(layout.categoryDir("boot"));
            sys.logger("app").info("AGAIN").log();
            await(() -> reports(layout, boot).stream().noneMatch(StatusFile.Report::active), "the store cleared");
            assertThat(reports(layout, boot)).allSatisfy(r -> assertThat(r.kind()).isEqualTo("store"));
        }
        assertThat(layout.statusFile(ProcessId.current())).as("kept after the process ends").isRegularFile();
        assertThat(StatusFile.readAll(layout, boot).unreadable()).isZero();
    }

    @Test
    void aProcessWithoutTroubleWritesNoStatusFile() throws Exception {
        RootLayout layout = new RootLayout(root);
        try (LogSystem sys = LogSystem.builder(layout).boot(BootId.random()).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).open()) {
            sys.logger("app").info("HELLO").log();
        }
        assertThat(layout.statusDir()).doesNotExist();
    }

    @Test
    void reportsAreStampedInMonoTimeUntilTheWallClockIsKnownThenInUtcPlacedByTheClockPairOfTheWrite() throws Exception {
        RootLayout layout = new RootLayout(root);
        long[] clock = {5_000_000_000L, 1_796_600_000_000_000_000L}; // mono, utc
        LogClock c = new LogClock() {
            public long monoNanos() {
                return clock[0];
            }

            public long utcNanos() {
                return clock[1];
            }
        };
        boolean[] known = {false};
        StatusFile file = new StatusFile(layout, BOOT, 4242, c, () -> known[0]);
        StatusChannel status = new StatusChannel(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                c::monoNanos, file);
        status.report("store", "cannot write logs: disk full");
        assertThat(reports(layout, BOOT)).singleElement().satisfies(r ->
                assertThat(r.ts()).isEqualTo(Timestamp.mono(5_000_000_000L)));
        known[0] = true;
        clock[0] += 2_000_000_000L; // 2 s later
        clock[1] += 2_000_000_000L;
        status.report("store", "cannot write logs: disk full");
        assertThat(reports(layout, BOOT)).extracting(StatusFile.Report::ts).containsExactly(
                Timestamp.utc(1_796_600_000_000_000_000L), Timestamp.utc(1_796_600_002_000_000_000L));
    }

    @Test
    void everyLineOfAKindCarriesItsStateAtTheLastWriteAndOtherKindsKeepTheirs() throws Exception {
        RootLayout layout = new RootLayout(root);
        StatusFile file = new StatusFile(layout, BOOT, 77, LogClock.system(), () -> true);
        StatusChannel status = new StatusChannel(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                System::nanoTime, file);
        status.report("store", "cannot write logs: disk full");
        status.report("crash-report", "crash report of boot ? held");
        status.report("store", "cannot write logs: disk full");
        status.cleared("store");
        assertThat(reports(layout, BOOT)).extracting(r -> r.kind() + " " + r.active())
                .containsExactly("store false", "crash-report true", "store false");
    }

    @Test
    void linksDirectoriesAndOtherNamesInTheStatusDirectoryAreLeftAloneAndAnUnreadableLineIsCounted() throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.statusDir());
        String good = "2026-12-07T06:01:02Z WARN rayos-log STATUS pid=12 boot=" + BOOT.hex()
                + " kind=store active=yes msg=\"disk full\"\n";
        Path elsewhere = Files.writeString(root.resolve("elsewhere.status"), good);
        Files.createSymbolicLink(layout.statusDir().resolve("13.status"), elsewhere);
        Files.createDirectories(layout.statusDir().resolve("14.status"));
        Files.writeString(layout.statusDir().resolve("x.status"), good);
        Files.writeString(layout.statusDir().resolve("12.status"), good + "garbage\n\n" + good);
        StatusFile.Reading r = StatusFile.readAll(layout, BOOT);
        assertThat(r.reports()).hasSize(2).allSatisfy(rep -> assertThat(rep.pid()).isEqualTo(12));
        assertThat(r.unreadable()).isEqualTo(1);
        assertThat(Set.of(r.reports().get(0).message())).containsExactly("disk full");
    }

    @Test
    void aStatusDirectoryThatIsALinkOutOfTheRootIsNeverWrittenThroughAndTheTroubleIsSaidOnStderr() throws Exception {
        RootLayout layout = new RootLayout(root.resolve("machine"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.createDirectories(layout.runDir());
        Files.createSymbolicLink(layout.statusDir(), outside);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StatusChannel status = new StatusChannel(new PrintStream(err, true, StandardCharsets.UTF_8), System::nanoTime,
                new StatusFile(layout, BOOT, 91, LogClock.system(), () -> true));
        status.report("store", "cannot write logs: disk full");
        try (var s = Files.list(outside)) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("rayos-log: cannot keep the status for 'rayos status': ")
                .contains("outside the root").endsWith("rayos-log: cannot write logs: disk full\n");
    }

    @Test
    void theReportsOfSeveralProcessesComeOldestFirstAndAPidMustBeAProcessId() throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.statusDir());
        String head = " WARN rayos-log STATUS boot=" + BOOT.hex() + " kind=store active=yes";
        Files.writeString(layout.statusFile(9), "2026-12-07T06:00:01Z" + head + " pid=9 msg=a\n"
                + "2026-12-07T06:00:03Z" + head + " pid=9 msg=c\n");
        Files.writeString(layout.statusFile(12), "2026-12-07T06:00:02Z" + head + " pid=12 msg=b\n");
        assertThat(StatusFile.readAll(layout, BOOT).reports()).extracting(StatusFile.Report::message)
                .containsExactly("a", "b", "c");
        for (long pid : new long[] {0, -1}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> layout.statusFile(pid))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("pid " + pid + " is not a process id");
        }
    }

    @Test
    void aMessageIsKeptWholeUpToAThousandCharactersAndCutAfter() throws Exception {
        RootLayout layout = new RootLayout(root);
        StatusChannel status = new StatusChannel(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                System::nanoTime, new StatusFile(layout, BOOT, 5, LogClock.system(), () -> true));
        String thousand = "x".repeat(StatusFile.MAX_MESSAGE);
        status.report("store", thousand);
        status.report("store", thousand + "y");
        assertThat(reports(layout, BOOT)).extracting(StatusFile.Report::message).containsExactly(thousand, thousand + "…");
    }
}
