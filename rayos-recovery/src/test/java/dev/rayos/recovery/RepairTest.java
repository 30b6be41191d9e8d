package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rayos repair} on roots with each kind of damage; each change is reported and logged. */
class RepairTest {
    @TempDir
    Path tmp;
    TestMachine m;
    RootLayout l;

    @BeforeEach
    void machine() {
        m = new TestMachine(tmp.resolve("root"));
        l = m.layout;
    }

    private Report repair() throws Exception {
        return Repair.run(l, new Repair.Options(false, false, null), Repair.standardChecks());
    }

    private Report dryRun() throws Exception {
        return Repair.run(l, new Repair.Options(true, false, null), Repair.standardChecks());
    }

    private String currentId() throws Exception {
        return Files.readString(l.currentBootIdFile()).trim();
    }

    private String allLogs() throws Exception {
        StringBuilder b = new StringBuilder();
        for (String f : TestMachine.files(l.logsDir())) {
            if (f.endsWith(".log")) {
                b.append(Files.readString(l.logsDir().resolve(f)));
            }
        }
        return b.toString();
    }

    private Path quarantined(Path p) {
        return l.quarantineDir().resolve(l.relative(p));
    }

    @Test
    void missingCurrentBootIdPointsAtTheNewestBootAndTheChangeIsLogged() throws Exception {
        m.boot(1);
        BootRecord newest = m.boot(1);
        Files.delete(l.currentBootIdFile());
        Report r = repair();
        assertThat(currentId()).isEqualTo(newest.id().hex());
        assertThat(r.changes()).extracting(Report.Change::line)
                .anyMatch(s -> s.startsWith("rewrite var/rayos/boot/current_boot_id: missing"));
        assertThat(allLogs()).contains("RAYOS_RECOVERY_ACTION action=repair-rewrite result=done check=current-boot-id");
    }

    @Test
    void garbageCurrentBootIdIsQuarantinedWithItsBytesAndRewritten() throws Exception {
        BootRecord b = m.boot(1);
        Files.write(l.currentBootIdFile(), new byte[] {'z', 0, (byte) 0xff, '\n'});
        repair();
        assertThat(currentId()).isEqualTo(b.id().hex());
        assertThat(Files.readAllBytes(quarantined(l.currentBootIdFile()))).containsExactly('z', 0, (byte) 0xff, '\n');
    }

    @Test
    void currentBootIdNamingAnUnknownBootIsRewrittenToTheNewest() throws Exception {
        BootRecord b = m.boot(1);
        Files.writeString(l.currentBootIdFile(), "f".repeat(32) + "\n");
        Report r = repair();
        assertThat(currentId()).isEqualTo(b.id().hex());
        assertThat(r.changes()).extracting(Report.Change::detail).anyMatch(d -> d.contains("named boot " + "f".repeat(32)));
    }

    @Test
    void tornAndUnparseableHistoryFilesAreQuarantinedNotDeleted() throws Exception {
        BootRecord a = m.boot(1);
        BootRecord b = m.boot(1);
        byte[] whole = Files.readAllBytes(l.historyFile(a.id()));
        byte[] torn = java.util.Arrays.copyOf(whole, whole.length / 2);
        Files.write(l.historyFile(a.id()), torn);
        Path junk = m.write("var/rayos/boot/history/" + "c".repeat(32) + ".json", "[1,2,3]");
        Path temp = m.write("var/rayos/boot/history/." + "d".repeat(32) + ".json.tmp-1-1", "{\"sch");
        Report r = repair();
        assertThat(Files.readAllBytes(quarantined(l.historyFile(a.id())))).isEqualTo(torn);
        assertThat(TestMachine.read(quarantined(junk))).isEqualTo("[1,2,3]");
        assertThat(TestMachine.read(quarantined(temp))).isEqualTo("{\"sch");
        assertThat(new Boots(l, LogClock.system()).list().damaged()).isEmpty();
        assertThat(currentId()).isEqualTo(b.id().hex());
        assertThat(r.changes()).filteredOn(c -> c.action().equals("quarantine")).hasSize(3);
    }

    @Test
    void bootsSharingASequenceNumberAreRenumberedKeepingTheirOrder() throws Exception {
        BootRecord a = m.boot(1);
        BootRecord b = m.boot(1);
        BootRecord c = m.boot(1);
        Boots boots = new Boots(l, LogClock.system());
        boots.update(b.id(), x -> new BootRecord(x.id(), 0, x.version(), x.buildId(), x.mode(), x.startMono(),
                x.startUtc(), x.wallClock(), x.end(), x.endMono(), x.endUtc(), x.logs(), x.crash(), x.markers(),
                x.timeSync()));
        repair();
        List<BootRecord> list = boots.list().boots();
        assertThat(list).extracting(BootRecord::seq).containsExactly(0L, 1L, 2L);
        assertThat(list.get(2).id()).isEqualTo(c.id());
        assertThat(list).extracting(BootRecord::id).contains(a.id(), b.id());
    }

    @Test
    void aTornLastLineIsCutAndItsBytesKeptInTheQuarantine() throws Exception {
        m.boot(3);
        Path old = m.write("var/rayos/logs/apps/" + "e".repeat(32) + ".log",
                "2026-01-01T00:00:00Z INFO a B n=1\n2026-01-01T00:00:01Z INFO a B n=");
        repair();
        assertThat(TestMachine.read(old)).isEqualTo("2026-01-01T00:00:00Z INFO a B n=1\n");
        assertThat(TestMachine.read(l.quarantineDir().resolve(l.relative(old) + ".torn-tail")))
                .isEqualTo("2026-01-01T00:00:01Z INFO a B n=");
    }

    @Test
    void logFilesWithWrongNamesAndStrayEntriesAreQuarantined() throws Exception {
        m.boot(1);
        Path wrong = m.write("var/rayos/logs/boot/notes.txt", "hello");
        Path badCat = m.write("var/rayos/logs/Bad Category/x.log", "x");
        Path loose = m.write("var/rayos/logs/loose.log", "y");
        repair();
        assertThat(TestMachine.read(quarantined(wrong))).isEqualTo("hello");
        assertThat(TestMachine.read(quarantined(badCat.getParent()).resolve("x.log"))).isEqualTo("x");
        assertThat(TestMachine.read(quarantined(loose))).isEqualTo("y");
        assertThat(Files.exists(wrong)).isFalse();
    }

    @Test
    void filesOverTheRetentionCapGoOldestFirst() throws Exception {
        m.write("etc/rayos/policy.conf", "retention.apps.max_files = 3\n");
        m.boot(1);
        Path dir = l.categoryDir("apps");
        Files.createDirectories(dir);
        for (int i = 0; i < 5; i++) {
            Path f = dir.resolve(String.valueOf((char) ('0' + i)).repeat(32) + ".log");
            Files.writeString(f, "2026-01-01T00:00:00Z INFO a B n=" + i + "\n");
            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Report r = repair();
        assertThat(TestMachine.files(dir)).filteredOn(n -> n.endsWith(".log")).containsExactly("2".repeat(32) + ".log", "3".repeat(32) + ".log",
                "4".repeat(32) + ".log");
        assertThat(r.changes()).filteredOn(c -> c.action().equals("delete")).hasSize(2);
    }

    @Test
    void aRingLeftByAKilledEarlyBootProcessIsWrittenOutToItsBoot() throws Exception {
        BootRecord b = m.boot(1);
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                HeldRingChild.class.getName(), m.root.toString(), b.id().hex(), "7"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("HELD");
        }
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(TestMachine.read(l.logFile("boot", b.id()))).doesNotContain("HELD_LINE");
        Report rep = repair();
        String log = TestMachine.read(l.logFile("boot", b.id()));
        for (int i = 0; i < 7; i++) {
            assertThat(log).contains("HELD_LINE n=" + i);
        }
        assertThat(rep.changes()).extracting(Report.Change::line)
                .anyMatch(s -> s.startsWith("write-out run/rayos/ring/") && s.contains("7 lines written"));
    }

    @Test
    void unparseableCrashReportsAndTornTemporariesAreQuarantinedReadableOnesKept() throws Exception {
        m.boot(1);
        Path bad = m.write("var/rayos/crash/panics/" + "a".repeat(32) + ".log", "not a crash report\n");
        Path temp = m.write("var/rayos/crash/panics/." + "b".repeat(32) + ".log.tmp-abc", "format=rayos-cr");
        repair();
        assertThat(TestMachine.read(quarantined(bad))).isEqualTo("not a crash report\n");
        assertThat(TestMachine.read(quarantined(temp))).isEqualTo("format=rayos-cr");
    }

    @Test
    void aDryRunListsEveryChangeAndChangesNothing() throws Exception {
        damageEverything();
        TreeMap<String, String> before = TestMachine.tree(m.root);
        Report dry = dryRun();
        assertThat(TestMachine.tree(m.root)).as("tree hash after a dry run").isEqualTo(before);
        assertThat(dry.changes()).allMatch(c -> c.result() == Report.Result.PLANNED);
        Report real = repair();
        assertThat(dry.changes().stream().map(c -> c.action() + " " + c.path() + ": " + c.detail()).toList())
                .as("the dry run listed exactly the real run's changes")
                .isEqualTo(real.changes().stream().map(c -> c.action() + " " + c.path() + ": " + c.detail()).toList());
        Report again = repair();
        assertThat(again.changes()).as("a second repair finds nothing").isEmpty();
    }

    private void damageEverything() throws Exception {
        BootRecord a = m.boot(2);
        m.boot(2);
        Files.writeString(l.currentBootIdFile(), "garbage");
        Files.writeString(l.historyFile(a.id()), "{\"schema\":");
        m.write("var/rayos/logs/boot/stray.txt", "x");
        m.write("var/rayos/logs/apps/" + "e".repeat(32) + ".log", "2026-01-01T00:00:00Z INFO a B n=");
        m.write("var/rayos/crash/panics/" + "a".repeat(32) + ".log", "junk");
        m.oldSegments("apps", 12, new Random(1));
    }
}
