package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.LogFileName;
import dev.rayos.log.time.LogClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rayos repair --dry-run} lists exactly what {@code rayos repair} then does: each root is
 * copied, the dry run runs on the original (which it leaves as it was, hash for hash), the real
 * run on the copy, and the two reports are compared line for line.
 */
class RepairDryRunTest {
    static final String OLD = OversizedLogsTest.OLD;

    @TempDir
    Path tmp;

    /** Runs both and checks the dry run's report is the real run's, planned. */
    private Report bothAgree(TestMachine m) throws Exception {
        Path copy = tmp.resolve("copy");
        Process cp = new ProcessBuilder("cp", "-a", m.root.toString(), copy.toString()).inheritIO().start();
        assertThat(cp.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cp.exitValue()).isZero();
        TreeMap<String, String> before = TestMachine.tree(m.root);

        Report dry = Repair.run(m.layout, new Repair.Options(true, false, null), Repair.standardChecks());
        Report real = Repair.run(new TestMachine(copy).layout, new Repair.Options(false, false, null), Repair.standardChecks());

        assertThat(TestMachine.tree(m.root)).as("the dry run changed nothing").isEqualTo(before);
        assertThat(dry.changes()).allMatch(c -> c.result() == Report.Result.PLANNED);
        assertThat(real.changes()).allMatch(c -> c.result() == Report.Result.DONE);
        assertThat(lines(dry)).as("the dry run's changes are the real run's").isEqualTo(lines(real));
        assertThat(dry.unresolved()).isEqualTo(real.unresolved());
        assertThat(dry.notes()).isEqualTo(real.notes());
        return real;
    }

    private static List<String> lines(Report r) {
        return r.changes().stream().map(c -> c.action() + " " + c.path() + ": " + c.detail()).toList();
    }

    private static TestMachine machine(Path root, String policy) throws Exception {
        TestMachine m = new TestMachine(root);
        m.write("etc/rayos/policy.conf", policy);
        m.boot(3);
        return m;
    }

    @Test
    void splitsThatPushACategoryOverItsCountCapAreListedWithEveryDeletionTheyCause() throws Exception {
        TestMachine m = machine(tmp.resolve("root"), "retention.apps.max_file_size = 128KiB\nretention.apps.max_files = 5\n");
        Path dir = Files.createDirectories(m.layout.categoryDir("apps"));
        OversizedLogsTest.file(dir, 1, OversizedLogsTest.lines(0, 1200), 1_000_000);      // 2 parts, in the middle
        OversizedLogsTest.file(dir, 2, OversizedLogsTest.lines(1200, 10), 1_000_001);
        OversizedLogsTest.file(dir, 0, OversizedLogsTest.lines(1210, 2500) + "2026-01-01T00:00:00Z INFO torn", 1_000_002);
        Files.writeString(dir.resolve("notes.txt"), "not a log\n");
        String other = "e".repeat(32);
        for (int i = 1; i <= 2; i++) {
            Path f = dir.resolve(other + "." + i + ".log");
            Files.writeString(f, OversizedLogsTest.lines(i, 2));
            Files.setLastModifiedTime(f, FileTime.fromMillis(500_000 + i));
        }

        Report real = bothAgree(m);

        assertThat(real.changes()).extracting(Report.Change::action)
                .contains("quarantine", "truncate", "rename", "split", "delete");
        assertThat(real.changes().stream().filter(c -> c.action().equals("delete")).count())
                .as("deletions the splits caused").isGreaterThan(2);
        assertThat(TestMachine.files(m.layout.categoryDir("apps"))).as("the original").contains("notes.txt");
    }

    @Test
    void aStoppedSplitIsFinishedAndTheFilesItNamesCountTowardsTheCap() throws Exception {
        TestMachine m = machine(tmp.resolve("root"), "retention.apps.max_file_size = 128KiB\nretention.apps.max_files = 3\n");
        Path dir = Files.createDirectories(m.layout.categoryDir("apps"));
        String head = OversizedLogsTest.lines(0, 300);
        String tail = OversizedLogsTest.lines(300, 300);
        // a split killed after the source was cut and before its part was named: the temporary holds the only copy
        OversizedLogsTest.file(dir, 1, head, 1_000_000);
        Path t = dir.resolve(LogSplit.pendingName(new LogFileName(OLD, 2), new LogFileName(OLD, 1), head.length()));
        Files.writeString(t, tail);
        Files.setLastModifiedTime(t, FileTime.fromMillis(1_000_000));
        OversizedLogsTest.file(dir, 0, OversizedLogsTest.lines(600, 2000), 2_000_000);

        Report real = bothAgree(m);

        assertThat(real.changes()).extracting(Report.Change::action).contains("finish-split", "split", "delete");
    }

    @Test
    void aGarbageCurrentBootIdAndDuplicateSequenceNumbersArePlannedAsTheyAreDone() throws Exception {
        TestMachine m = machine(tmp.resolve("root"), "retention.boot.max_files = 3\n");
        BootRecord second = m.boot(2);
        // a second boot given the first one's sequence number, and current_boot_id torn
        Path h = m.layout.historyFile(second.id());
        Files.writeString(h, Files.readString(h).replaceFirst("\"seq\" ?: ?1", "\"seq\" : 0"));
        assertThat(new Boots(m.layout, LogClock.system()).read(second.id()).seq()).isZero();
        Files.writeString(m.layout.currentBootIdFile(), "0123");
        m.oldSegments("boot", 4, new Random(7));

        Report real = bothAgree(m);

        assertThat(real.changes()).extracting(Report.Change::action).containsExactly("renumber", "quarantine", "rewrite");
        // the repair's own log, open in the newest boot, wrote those three: the store's retention deleted
        // the oldest boot logs beyond the cap as every writer does (neither run lists the store's deletions)
        assertThat(TestMachine.files(tmp.resolve("copy/var/rayos/logs/boot"))).filteredOn(f -> f.endsWith(".log")).hasSize(3);
    }

    @Test
    void withNoHistoryTheCountCapIsPlannedAsTheRealRunWhoseLogStartsARecoveryBootMeetsIt() throws Exception {
        TestMachine m = machine(tmp.resolve("root"), "retention.boot.max_files = 3\n");
        try (var s = Files.list(m.layout.historyDir())) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(m.layout.currentBootIdFile());
        m.oldSegments("boot", 4, new Random(8));

        Report real = bothAgree(m);

        assertThat(real.changes()).extracting(Report.Change::action).as("nothing was logged before: repair's own "
                + "deletions, the newest three kept").containsExactly("delete", "delete");
    }
}
