package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.LogFileName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Splits of log files over the size cap in real child JVMs killed with SIGKILL at every step (each
 * chunk copied, part written, source cut, part named, file renamed), some killed a second time while
 * the rerun resumes; a final repair must leave every line in exactly one log file, in order.
 * {@code -Drayos.splitKillTrials=N} (default 2 per step, at least 20).
 */
class OversizedLogsKillTest {
    @TempDir
    Path tmp;

    @Test
    void aSplitKilledAtAnyStepLeavesEveryLineExactlyOnceAfterARerun() throws Exception {
        String expected = fixture(tmp.resolve("probe"));
        KilledChild probe = child(tmp.resolve("probe"), 0);
        assertThat(probe.points()).as("steps of one repair").isGreaterThan(20);
        check(tmp.resolve("probe"), expected, "the clean run");

        int points = probe.points();
        int trials = Integer.getInteger("rayos.splitKillTrials", Math.max(20, 2 * points));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<String>> results = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            int trial = t;
            results.add(pool.submit(() -> {
                Path root = tmp.resolve("t" + trial);
                fixture(root);
                KilledChild first = child(root, 1 + trial % points);
                String what = "trial " + trial + " killed at " + first.stoppedAt();
                if (trial % 3 == 1) {
                    // killed again while the rerun resumes the split it left (its first steps)
                    KilledChild second = child(root, 1 + trial / 3 % 4);
                    what += ", then at " + second.stoppedAt();
                }
                Repair.run(new dev.rayos.log.root.RootLayout(root), new Repair.Options(false, false, null),
                        Repair.standardChecks());
                check(root, expected, what);
                return first.stoppedAt();
            }));
        }
        pool.shutdown();
        List<String> stops = new ArrayList<>();
        for (Future<String> r : results) {
            stops.add(r.get(10, TimeUnit.MINUTES));
        }
        System.out.println("split kills: " + trials + " trials over " + points + " steps, each finished by a rerun");
        assertThat(stops).as("kills in each kind of step").anyMatch(s -> s.contains(" copying "))
                .anyMatch(s -> s.contains(" written ")).anyMatch(s -> s.contains(" cut "))
                .anyMatch(s -> s.contains(" named ")).anyMatch(s -> s.contains(" renamed "));
    }

    /** A root whose old boot has an oversized part before a small one, and an oversized active file. */
    private static String fixture(Path root) throws Exception {
        TestMachine m = new TestMachine(root);
        m.write("etc/rayos/policy.conf", "retention.apps.max_file_size = 128KiB\nretention.apps.max_files = 50\n");
        m.boot(1);
        Path dir = m.layout.categoryDir("apps");
        Files.createDirectories(dir);
        OversizedLogsTest.file(dir, 1, OversizedLogsTest.lines(0, 2000), 1_000_000);
        OversizedLogsTest.file(dir, 2, OversizedLogsTest.lines(2000, 20), 1_000_001);
        OversizedLogsTest.file(dir, 0, OversizedLogsTest.lines(2020, 2500), 1_000_002);
        return OversizedLogsTest.lines(0, 4520);
    }

    private static void check(Path root, String expected, String what) throws Exception {
        Path dir = root.resolve("var/rayos/logs/apps");
        List<Path> files = OversizedLogsTest.inOrder(dir, OversizedLogsTest.OLD);
        assertThat(OversizedLogsTest.read(files)).as(what + ": every line exactly once, in order").isEqualTo(expected);
        for (Path p : files) {
            assertThat(Files.size(p)).as(what + ": " + p.getFileName() + " within the cap")
                    .isLessThanOrEqualTo(OversizedLogsTest.CAP);
        }
        assertThat(TestMachine.files(dir)).as(what + ": nothing but log files left")
                .allMatch(n -> n.equals(".lock") || LogFileName.parse(n).isPresent());
        assertThat(TestMachine.files(root.resolve("var/rayos")))
                .as(what + ": nothing quarantined").noneMatch(n -> n.startsWith("recovery/quarantine/"));
    }

    /** Runs the logs check in a child JVM; with {@code stopAt} > 0 kills it with SIGKILL at that step. */
    private static KilledChild child(Path root, int stopAt) throws Exception {
        return KilledChild.run(SplitKillChild.class, root.toString(), Integer.toString(stopAt));
    }
}
