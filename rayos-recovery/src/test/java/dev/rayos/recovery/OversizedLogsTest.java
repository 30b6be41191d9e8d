package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.RootLayout;
import dev.rayos.log.root.LogFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rayos repair} on log files bigger than {@code retention.max_file_size}. */
class OversizedLogsTest {
    static final long CAP = 128 * 1024;
    static final String OLD = "0123456789abcdef".repeat(2);

    @TempDir
    Path tmp;
    TestMachine m;
    RootLayout l;
    Path dir;

    @BeforeEach
    void machine() throws IOException {
        m = new TestMachine(tmp.resolve("root"));
        l = m.layout;
        m.write("etc/rayos/policy.conf", "retention.apps.max_file_size = 128KiB\nretention.apps.max_files = 20\n");
        m.boot(2);
        dir = l.categoryDir("apps");
        Files.createDirectories(dir);
    }

    /** {@code count} log lines of varied length, numbered from {@code from}. */
    static String lines(int from, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            b.append("2026-01-01T00:00:00.000000Z INFO old LINE n=").append(i).append(" pad=")
                    .append("x".repeat(i * 37 % 300)).append('\n');
        }
        return b.toString();
    }

    static Path file(Path dir, int number, String content, long mtime) throws IOException {
        Path f = dir.resolve(new LogFileName(OLD, number).fileName());
        Files.writeString(f, content);
        Files.setLastModifiedTime(f, FileTime.fromMillis(mtime));
        return f;
    }

    /** The boot's log files in the order a reader reads them: parts ascending, then the active file. */
    static List<Path> inOrder(Path dir, String boot) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> LogFileName.parse(p.getFileName().toString()).filter(n -> n.boot().equals(boot)).isPresent())
                    .forEach(out::add);
        }
        out.sort(Comparator.comparingInt(p -> {
            int n = LogFileName.parse(p.getFileName().toString()).orElseThrow().number();
            return n == 0 ? Integer.MAX_VALUE : n;
        }));
        return out;
    }

    static String read(List<Path> files) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path p : files) {
            b.append(Files.readString(p));
        }
        return b.toString();
    }

    private Report repair(boolean dry) throws Exception {
        return Repair.run(l, new Repair.Options(dry, false, null), Repair.standardChecks());
    }

    private List<String> names() throws IOException {
        return inOrder(dir, OLD).stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void anActiveFileOverTheSizeCapIsSplitAtLineBoundariesIntoTheBootsNextParts() throws Exception {
        file(dir, 1, lines(0, 10), 1_000_000);
        String big = lines(10, 3000);
        file(dir, 0, big, 2_000_000);
        assertThat(big.length()).isGreaterThan(4 * (int) CAP);

        Report r = repair(false);

        List<Path> files = inOrder(dir, OLD);
        assertThat(read(files)).as("every line once, in order").isEqualTo(lines(0, 3010));
        int parts = (int) Math.ceil(big.length() / (double) CAP);
        assertThat(names()).first().isEqualTo(OLD + ".1.log");
        assertThat(names()).hasSizeGreaterThanOrEqualTo(1 + parts).doesNotContain(OLD + ".log");
        for (Path p : files) {
            assertThat(Files.size(p)).as(p.getFileName() + " within the cap").isLessThanOrEqualTo(CAP);
            assertThat(Files.readString(p)).as(p.getFileName() + " whole lines").endsWith("\n");
            assertThat(Files.getLastModifiedTime(p).toMillis()).as("keeps its source's age")
                    .isEqualTo(p.getFileName().toString().equals(OLD + ".1.log") ? 1_000_000 : 2_000_000);
        }
        assertThat(r.changes()).extracting(Report.Change::line)
                .anyMatch(s -> s.startsWith("rename var/rayos/logs/apps/" + OLD + ".log") && s.contains(OLD + ".2.log"))
                .anyMatch(s -> s.startsWith("split var/rayos/logs/apps/" + OLD + ".2.log") && s.contains("line boundaries"));
        StringBuilder actions = new StringBuilder();
        for (String f : TestMachine.files(l.logsDir())) {
            if (f.endsWith(".log") && !f.startsWith("apps/")) {
                actions.append(Files.readString(l.logsDir().resolve(f)));
            }
        }
        assertThat(actions.toString()).contains("action=repair-rename result=done check=logs path=var/rayos/logs/apps/" + OLD + ".log")
                .contains("action=repair-split result=done check=logs path=var/rayos/logs/apps/" + OLD + ".2.log");
        assertThat(repair(false).changes()).as("a second repair finds nothing").isEmpty();
    }

    @Test
    void aMiddlePartOverTheCapMakesRoomByRenumberingTheLaterPartsKeepingTheOrder() throws Exception {
        file(dir, 1, lines(0, 1000), 1_000_000);
        file(dir, 2, lines(1000, 10), 1_000_001);
        file(dir, 0, lines(1010, 10), 1_000_002);

        Report r = repair(false);

        assertThat(read(inOrder(dir, OLD))).isEqualTo(lines(0, 1020));
        assertThat(names()).last().isEqualTo(OLD + ".log");
        assertThat(Files.readString(dir.resolve(names().get(names().size() - 2)))).isEqualTo(lines(1000, 10));
        assertThat(r.changes()).extracting(Report.Change::action).contains("rename", "split");
    }

    @Test
    void afterASplitTheCountCapDeletesTheOldestWholeFilesAsTheStoreDoes() throws Exception {
        m.write("etc/rayos/policy.conf", "retention.apps.max_file_size = 128KiB\nretention.apps.max_files = 4\n");
        String other = "f".repeat(32);
        Path newer = dir.resolve(other + ".log");
        Files.writeString(newer, lines(0, 3));
        Files.setLastModifiedTime(newer, FileTime.fromMillis(9_000_000));
        String big = lines(0, 2000);
        file(dir, 0, big, 1_000_000);

        Report r = repair(false);

        List<Path> left = inOrder(dir, OLD);
        assertThat(left).hasSize(3);
        assertThat(Files.readString(newer)).isEqualTo(lines(0, 3));
        assertThat(big).endsWith(read(left)); // the head of the old boot's log went first, whole parts only
        assertThat(r.changes()).filteredOn(c -> c.action().equals("delete")).isNotEmpty()
                .allMatch(c -> c.detail().contains("retention cap of 4 files"));
    }

    @Test
    void aDryRunPlansTheSplitAndChangesNothing() throws Exception {
        file(dir, 0, lines(0, 2000), 1_000_000);
        TreeMap<String, String> before = TestMachine.tree(m.root);

        Report dry = repair(true);

        assertThat(TestMachine.tree(m.root)).as("tree hash after a dry run").isEqualTo(before);
        assertThat(dry.changes()).extracting(Report.Change::line)
                .anyMatch(s -> s.startsWith("would rename var/rayos/logs/apps/" + OLD + ".log:"))
                .anyMatch(s -> s.startsWith("would split var/rayos/logs/apps/" + OLD + ".1.log") && s.contains("4 parts"));
        assertThat(dry.changes()).allMatch(c -> c.result() == Report.Result.PLANNED);
    }

    @Test
    void aLineLongerThanTheCapIsKeptWholeInAPartOfItsOwn() throws Exception {
        String huge = "2026-01-01T00:00:00.000000Z INFO old LINE pad=" + "y".repeat((int) CAP) + "\n";
        file(dir, 0, lines(0, 5) + huge + lines(5, 5), 1_000_000);

        repair(false);

        List<Path> files = inOrder(dir, OLD);
        assertThat(read(files)).isEqualTo(lines(0, 5) + huge + lines(5, 5));
        assertThat(files).extracting(Files::readString).contains(huge);
    }
}
