package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Factory resets in real child JVMs killed with SIGKILL at every progress point: before and after
 * each step, and after each entry removed inside the biggest deletion (the logs). Each is finished
 * by running it again (as {@code rayos factory-reset --yes} would) or at the next boot
 * ({@link FactoryReset#resumeIfJournaled}), alternately. {@code -Drayos.resetKillTrials=N} (default
 * 200).
 */
class FactoryResetKillTest {
    private static final int OLD_SEGMENTS = 60;

    @TempDir
    Path tmp;

    @Test
    void resetKilledAtAnyPointFinishesOnRerunKeepingDisksCrashReportsAndWhatLinksPointAt() throws Exception {
        int trials = Integer.getInteger("rayos.resetKillTrials", 200);
        Path outside = tmp.resolve("outside");
        Files.createDirectories(outside.resolve("sub"));
        Files.writeString(outside.resolve("precious.txt"), "not the machine's\n");
        Files.writeString(outside.resolve("sub/deep.txt"), "deeper\n");
        TreeMap<String, String> outsideBefore = TestMachine.tree(outside);

        // A clean run counts the progress points, so the trials can stop at each one in turn.
        Fixture probe = fixture(tmp.resolve("probe"), outside, FactoryReset.Mode.PRESERVE_VM_DISKS, 1);
        int points = child(probe, 0).points();
        assertThat(points).as("progress points of one reset").isGreaterThan(2 * 7 + OLD_SEGMENTS);

        // Two at a time: four were no faster on the shared 2-vCPU machine (244 s against 239 s).
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<String>> results = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            int trial = t;
            results.add(pool.submit(() -> {
                // Every point in turn; fewer trials than points spread over all of them.
                int stopAt = trials >= points ? 1 + trial % points : 1 + (int) ((long) trial * points / trials);
                if (trial == 1) {
                    // each fixture has its own number of log files, so no point number is the last one in
                    // every trial: this trial stops at the last step's end by name, just before the journal goes
                    stopAt = -1;
                }
                FactoryReset.Mode mode = trial % 4 == 3 ? FactoryReset.Mode.WIPE_ALL : FactoryReset.Mode.PRESERVE_VM_DISKS;
                Fixture f = fixture(tmp.resolve("t" + trial), outside, mode, trial);
                KilledChild c = child(f, stopAt);
                if (trial % 2 == 0) {
                    new FactoryReset(f.m.layout, List.of(), FactoryReset.Progress.NONE)
                            .run(mode, FactoryReset.standardSteps(mode));
                } else {
                    FactoryReset.resumeIfJournaled(f.m.root);
                }
                check(f, "trial " + trial + " killed at " + c.stoppedAt());
                return c.stoppedAt();
            }));
        }
        pool.shutdown();
        List<String> stops = new ArrayList<>();
        for (Future<String> r : results) {
            stops.add(r.get(10, TimeUnit.MINUTES));
        }
        assertThat(TestMachine.tree(outside)).as("the directory outside the root").isEqualTo(outsideBefore);
        if (trials < points) {
            return; // a short run (-Drayos.resetKillTrials) cannot hit every point
        }
        assertThat(stops).as("kills inside the logs deletion").anyMatch(s -> s.contains("removed var/rayos/logs/"));
        assertThat(stops).as("kills at a step boundary").anyMatch(s -> s.contains("after wipe-vm-state"));
        assertThat(stops).as("kills just before the journal goes").anyMatch(s -> s.contains("after preserve-reset-log"));
    }

    private record Fixture(TestMachine m, FactoryReset.Mode mode, Map<String, String> disks, List<String> crashes,
                           Path outside) {}

    private Fixture fixture(Path root, Path outside, FactoryReset.Mode mode, long seed) throws Exception {
        Random rnd = new Random(seed);
        TestMachine m = new TestMachine(root);
        m.boot(20);
        m.boot(5);
        // In a category the reset does not log to: its own writer would apply retention (10 files) first.
        m.oldSegments("apps", OLD_SEGMENTS, rnd);
        m.oldSegments("boot", 8, rnd);
        m.oldSegments("input", 5, rnd);
        Path d0 = m.writeBytes("var/rayos/vm/linux/disk0.raw", TestMachine.random(64 * 1024, rnd));
        Path d1 = m.writeBytes("var/rayos/vm/linux/disk-data.qcow2", TestMachine.random(32 * 1024, rnd));
        Path d2 = m.writeBytes("var/rayos/vm/win/disk.raw", TestMachine.random(16 * 1024, rnd));
        m.write("var/rayos/vm/linux/state/savevm.bin", "saved state");
        m.write("var/rayos/vm/linux/config.json", "{}");
        m.link("var/rayos/vm/linux/state/escape", outside);
        m.link("var/rayos/logs/boot/escape", outside);
        m.link("var/rayos/vm/escape-vm", outside);
        m.link("var/rayos/elsewhere", outside.resolve("precious.txt"));
        m.write("var/rayos/recovery/quarantine/var/rayos/boot/history/x.json", "{torn");
        String crash = "format=rayos-crash-report/1\nboot_id=" + "a".repeat(32) + "\ncrash " + seed + "\n";
        m.write("var/rayos/crash/panics/" + "a".repeat(32) + ".log", crash);
        Map<String, String> disks = new TreeMap<>();
        for (Path d : List.of(d0, d1, d2)) {
            disks.put(m.layout.relative(d), TestMachine.sha256(d));
        }
        return new Fixture(m, mode, disks, List.of(crash), outside);
    }

    private void check(Fixture f, String what) throws Exception {
        RootLayout l = f.m.layout;
        assertThat(FactoryReset.pending(l)).as(what + ": journal gone").isFalse();
        assertThat(new Boots(l, LogClock.system()).list().boots()).as(what + ": no history").isEmpty();
        assertThat(Files.exists(l.currentBootIdFile())).as(what + ": no current_boot_id").isFalse();
        assertThat(TestMachine.files(l.logsDir())).as(what + ": only lock files left in logs")
                .allMatch(n -> n.endsWith(".lock"));
        Path preserved = l.crashPreservedDir();
        List<String> crashTexts = new ArrayList<>();
        for (String n : TestMachine.files(preserved.resolve("panics"))) {
            crashTexts.add(TestMachine.read(preserved.resolve("panics").resolve(n)));
        }
        assertThat(crashTexts).as(what + ": crash reports kept").containsExactlyElementsOf(f.crashes);
        StringBuilder resetLog = new StringBuilder();
        for (String n : TestMachine.files(preserved.resolve("logs"))) {
            resetLog.append(TestMachine.read(preserved.resolve("logs").resolve(n)));
        }
        assertThat(resetLog.toString()).as(what + ": the reset's own log kept")
                .contains("RAYOS_RECOVERY_ACTION action=factory-reset result=done mode=" + f.mode.id());
        if (f.mode == FactoryReset.Mode.PRESERVE_VM_DISKS) {
            Map<String, String> now = new TreeMap<>();
            for (String n : TestMachine.files(l.vmsDir())) {
                Path p = l.vmsDir().resolve(n);
                now.put(l.relative(p), TestMachine.sha256(p));
            }
            assertThat(now).as(what + ": VM disks byte-identical, and only them").isEqualTo(f.disks);
        } else {
            assertThat(TestMachine.files(l.vmsDir())).as(what + ": no VM left").isEmpty();
        }
        assertThat(Files.exists(l.quarantineDir())).as(what + ": quarantine wiped").isFalse();
        assertThat(Files.exists(l.dataDir().resolve("elsewhere"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .as(what + ": the link removed").isFalse();
        BootRecord first = new Boots(l, LogClock.system()).start(dev.rayos.log.boot.BootMode.NORMAL, true);
        assertThat(first.seq()).as(what + ": the next boot is a first boot").isZero();
    }

    /** Runs the reset in a child JVM; with {@code stopAt} > 0 kills it with SIGKILL at that point. */
    private static KilledChild child(Fixture f, int stopAt) throws Exception {
        return KilledChild.run(ResetKillChild.class, f.m.root.toString(), f.mode.id(), Integer.toString(stopAt));
    }
}
