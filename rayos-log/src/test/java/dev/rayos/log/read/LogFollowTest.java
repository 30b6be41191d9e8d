package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rayos logs -f} (docs/reading-logs.md): after the lines there are, the new whole lines of the
 * current boot as they come, through a rotation and into the next boot. The machine changes between
 * two polls, from the follower's own stop check, so each poll sees one known state and nothing sleeps
 * to wait for it.
 */
class LogFollowTest {
    @TempDir
    Path dir;
    ReadRoot root;
    Boots boots;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    LineFormat shortForm;

    @BeforeEach
    void machine() throws Exception {
        root = new ReadRoot(dir);
        boots = new Boots(root.layout, LogClock.system());
        Files.createDirectories(root.layout.historyDir());
        shortForm = LineFormat.of("short", out, root.layout, true);
    }

    static String line(long afterT0Nanos, String rest) {
        return ReadRoot.utc(T0 + afterT0Nanos) + " " + rest;
    }

    private void append(String category, BootRecord boot, String suffix, String text) throws Exception {
        Path p = root.layout.categoryDir(category).resolve(boot.id().hex() + suffix);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Follows with a poll every millisecond, running {@code steps[k]} after the k-th poll; stops after the last. */
    private void follow(LogReader r, LogReader.Position pos, List<Step> steps) throws Exception {
        int[] k = {0};
        r.follow(pos, boots, shortForm, 1, () -> {
            if (k[0] == steps.size()) {
                return true;
            }
            try {
                steps.get(k[0]++).run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return false;
        });
    }

    interface Step {
        void run() throws Exception;
    }

    @Test
    void newLinesAreShownAsTheyComeThroughARotationAndIntoTheNextBoot() throws Exception {
        BootRecord first = boots.start(BootMode.NORMAL, true);
        append("boot", first, ".log", ReadRoot.lines(line(1, "INFO kernel L1"), line(2, "INFO kernel L2"))
                + line(4, "INFO kernel L")); // being written
        BootRecord[] second = new BootRecord[1];
        List<Step> steps = new ArrayList<>();
        steps.add(() -> { }); // a poll that finds only the line being written: nothing shown
        steps.add(() -> {
            append("boot", first, ".log", "4\n");
            append("input", first, ".log", ReadRoot.lines(line(3, "INFO input L3"))); // earlier: merged before L4
        });
        steps.add(() -> { // rotation: the active file renamed after one more line, a new one begun
            append("boot", first, ".log", ReadRoot.lines(line(5, "INFO kernel L5")));
            Path active = root.layout.categoryDir("boot").resolve(first.id().hex() + ".log");
            Files.move(active, active.resolveSibling(first.id().hex() + ".1.log"));
            append("boot", first, ".log", ReadRoot.lines(line(6, "INFO kernel L6")));
        });
        steps.add(() -> { // the old boot's last words, then a new boot
            append("boot", first, ".log", ReadRoot.lines(line(7, "INFO kernel L7")));
            second[0] = boots.start(BootMode.NORMAL, true);
            append("boot", second[0], ".log", ReadRoot.lines(line(8, "INFO kernel M1")));
        });
        steps.add(() -> append("boot", second[0], ".log", ReadRoot.lines(line(9, "INFO kernel M2"))));
        try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 2)) {
            LogReader.Position pos = r.read(List.of(new BootCatalog.Entry(first.id(), first)), shortForm, true);
            assertThat(pos.boot()).isEqualTo(first.id());
            follow(r, pos, steps);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "-- boot " + first.id() + " #1 normal --",
                line(1, "INFO kernel L1"), line(2, "INFO kernel L2"),
                line(3, "INFO input L3"), line(4, "INFO kernel L4"),
                line(5, "INFO kernel L5"), line(6, "INFO kernel L6"),
                line(7, "INFO kernel L7"),
                "-- boot " + second[0].id() + " #2 normal --",
                line(8, "INFO kernel M1"), line(9, "INFO kernel M2"));
    }

    @Test
    void moreThanAChunkAppendedBetweenTwoPollsIsShownAsWholeLinesNotCutAtTheChunksEnd() throws Exception {
        BootRecord b = boots.start(BootMode.NORMAL, true);
        append("boot", b, ".log", ReadRoot.lines(line(0, "INFO kernel start")));
        List<String> burst = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            burst.add(line(i, "INFO kernel burst line " + i + " " + "x".repeat(40)));
        }
        List<Step> steps = new ArrayList<>();
        steps.add(() -> append("boot", b, ".log", ReadRoot.lines(burst.toArray(String[]::new))));
        steps.add(() -> { });
        try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 1)) {
            r.chunk = 1000; // the burst is ~3.9 KB: lines cross three chunk ends, as a 1 MiB burst crosses one
            follow(r, new LogReader.Position(null), steps);
        }
        List<String> expected = new ArrayList<>();
        expected.add("-- boot " + b.id() + " #1 normal --");
        expected.add(line(0, "INFO kernel start"));
        expected.addAll(burst);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void followingAMachineWithoutBootsWaitsForTheFirst() throws Exception {
        BootRecord[] b = new BootRecord[1];
        List<Step> steps = new ArrayList<>();
        steps.add(() -> { });
        steps.add(() -> {
            b[0] = boots.start(BootMode.SAFE, true);
            append("boot", b[0], ".log", ReadRoot.lines(line(1, "INFO kernel UP")));
        });
        try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 1)) {
            follow(r, new LogReader.Position(null), steps);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "-- boot " + b[0].id() + " #1 safe --", line(1, "INFO kernel UP"));
    }

    @Test
    void followingTheCurrentBootFromItsStartAnnouncesItOnceAndKeepsTheQuerysFilter() throws Exception {
        BootRecord b = boots.start(BootMode.NORMAL, true);
        append("boot", b, ".log", ReadRoot.lines(line(1, "INFO kernel A"), line(2, "WARN kernel B")));
        List<Step> steps = new ArrayList<>();
        steps.add(() -> append("boot", b, ".log", ReadRoot.lines(line(3, "ERROR kernel C"), line(4, "DEBUG kernel D"))));
        steps.add(() -> { });
        try (LogReader r = new LogReader(root.layout,
                new LogQuery(dev.rayos.log.line.Level.WARN, null, null, null, null, null, null), 1)) {
            follow(r, new LogReader.Position(null), steps);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "-- boot " + b.id() + " #1 normal --", line(2, "WARN kernel B"), line(3, "ERROR kernel C"));
    }

    /** Descriptors of this process open on a file under {@code under} (Linux: /proc/self/fd). */
    private static long descriptorsUnder(Path under) throws Exception {
        String prefix = under.toRealPath().toString();
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(prefix);
                } catch (java.io.IOException e) {
                    return false; // the listing's own descriptor, gone meanwhile
                }
            }).count();
        }
    }

    @Test
    void pollsWhoseNewLinesAllFailTheFilterShowNothingNotEvenTheBootAndLeaveNoFileOpen() throws Exception {
        BootRecord b = boots.start(BootMode.NORMAL, true);
        append("boot", b, ".log", ReadRoot.lines(line(1, "DEBUG kernel quiet")));
        long[] openDuringPoll = {-1};
        List<Step> steps = new ArrayList<>();
        steps.add(() -> append("boot", b, ".log", ReadRoot.lines(line(2, "INFO kernel still quiet"))));
        steps.add(() -> {
            assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing passed the filter yet").isEmpty();
            openDuringPoll[0] = descriptorsUnder(dir);
            append("boot", b, ".log", ReadRoot.lines(line(3, "WARN kernel LOUD")));
        });
        steps.add(() -> { });
        try (LogReader r = new LogReader(root.layout,
                new LogQuery(dev.rayos.log.line.Level.WARN, null, null, null, null, null, null), 1)) {
            LogReader.Position pos = r.read(List.of(new BootCatalog.Entry(b.id(), b)), shortForm, true);
            assertThat(descriptorsUnder(dir)).as("after the read").isZero();
            follow(r, pos, steps);
            assertThat(descriptorsUnder(dir)).as("after the follow").isZero();
        }
        assertThat(openDuringPoll[0]).as("between two polls").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "-- boot " + b.id() + " #1 normal --", line(3, "WARN kernel LOUD"));
    }

    /** Where the lines go, as a pipe to a pager or a terminal would take them: counts what was written and not flushed. */
    static final class FlushCounting extends java.io.OutputStream {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        int sinceFlush;

        @Override
        public void write(int b) {
            data.write(b);
            sinceFlush++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            data.write(b, off, len);
            sinceFlush += len;
        }

        @Override
        public void flush() {
            sinceFlush = 0;
        }
    }

    @Test
    void everyPollThatShowsLinesFlushesThemBeforeTheNextWait() throws Exception {
        BootRecord b = boots.start(BootMode.NORMAL, true);
        append("boot", b, ".log", ReadRoot.lines(line(1, "INFO kernel A")));
        FlushCounting pipe = new FlushCounting();
        LineFormat form = LineFormat.of("short", pipe, root.layout, true);
        int[] k = {0};
        List<Integer> unflushedAtEachWait = new ArrayList<>();
        try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 1)) {
            r.follow(new LogReader.Position(null), boots, form, 1, () -> {
                unflushedAtEachWait.add(pipe.sinceFlush);
                if (k[0]++ == 2) {
                    return true;
                }
                try {
                    append("boot", b, ".log", ReadRoot.lines(line(2 + k[0], "INFO kernel MORE")));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return false;
            });
        }
        assertThat(pipe.data.toString(StandardCharsets.UTF_8).lines()).hasSize(4); // the separator and three lines
        assertThat(unflushedAtEachWait).containsExactly(0, 0, 0);
    }

    @Test
    void aBootWhoseFirstPollFindsNothingIsAnnouncedOnceBeforeItsFirstLine() throws Exception {
        BootRecord b = boots.start(BootMode.NORMAL, true);
        List<Step> steps = new ArrayList<>();
        steps.add(() -> { }); // nothing yet: no header
        steps.add(() -> append("boot", b, ".log", ReadRoot.lines(line(1, "INFO kernel A"))));
        steps.add(() -> append("boot", b, ".log", ReadRoot.lines(line(2, "INFO kernel B"))));
        steps.add(() -> { // one poll, two categories: by time, the first category's line first
            append("input", b, ".log", ReadRoot.lines(line(4, "INFO input D")));
            append("boot", b, ".log", ReadRoot.lines(line(3, "INFO kernel C")));
        });
        steps.add(() -> { });
        try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 1)) {
            follow(r, new LogReader.Position(null), steps);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "-- boot " + b.id() + " #1 normal --", line(1, "INFO kernel A"), line(2, "INFO kernel B"),
                line(3, "INFO kernel C"), line(4, "INFO input D"));
    }

    @Test
    void followingOnFromAnOlderBootsReadShowsTheRestOfItThenTheCurrentBoot() throws Exception {
        BootRecord old = boots.start(BootMode.NORMAL, true);
        append("boot", old, ".log", ReadRoot.lines(line(1, "INFO kernel A")));
        append("input", old, ".log", ReadRoot.lines(line(2, "INFO input B")));
        try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 2)) {
            LogReader.Position pos = r.read(List.of(new BootCatalog.Entry(old.id(), old)), shortForm, true);
            append("input", old, ".log", ReadRoot.lines(line(3, "INFO input C"))); // written after the read
            BootRecord now = boots.start(BootMode.SAFE, true);
            append("boot", now, ".log", ReadRoot.lines(line(4, "INFO kernel D")));
            follow(r, pos, List.of(() -> { }));
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                    "-- boot " + old.id() + " #1 normal --", line(1, "INFO kernel A"), line(2, "INFO input B"),
                    line(3, "INFO input C"),
                    "-- boot " + now.id() + " #2 safe --", line(4, "INFO kernel D"));
        }
    }

    @Test
    void aCurrentBootWhoseHistoryCannotBeReadIsFollowedByItsFiles() throws Exception {
        BootRecord b = boots.start(BootMode.NORMAL, true);
        Files.writeString(root.layout.historyFile(b.id()), "{ not json");
        append("boot", b, ".log", ReadRoot.lines(line(1, "INFO kernel A")));
        try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 1)) {
            follow(r, new LogReader.Position(null), List.of(() -> { }));
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "-- boot " + b.id() + " (no history) --", line(1, "INFO kernel A"));
    }
}
