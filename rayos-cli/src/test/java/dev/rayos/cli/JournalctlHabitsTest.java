package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, "Habits to honour" for rayos logs: what a journalctl user types works as they expect. */
class JournalctlHabitsTest {
    @TempDir
    Path root;

    ReadingCli.Result logs(String... args) {
        String[] a = new String[args.length + 1];
        a[0] = "logs";
        System.arraycopy(args, 0, a, 1, args.length);
        return ReadingCli.run(root, a);
    }

    void log(String... args) {
        String[] a = new String[args.length + 1];
        a[0] = "log";
        System.arraycopy(args, 0, a, 1, args.length);
        ReadingCli.Result r = ReadingCli.run(root, a);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    List<String> events(ReadingCli.Result r) {
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().lines().map(l -> l.split(" ")[3]).toList();
    }

    @BeforeEach
    void aBootWithSomeLines() {
        assertThat(ReadingCli.run(root, "boot").exit()).isZero();
        log("--level", "DEBUG", "kernel", "K_DEBUG");
        log("--level", "WARN", "kernel", "K_WARN");
        log("--level", "ERROR", "disk", "D_ERROR", "dev=/dev/sda");
        log("--level", "CRIT", "diskmon", "DM_CRIT", "dev=/dev/sdb");
        log("app", "A_INFO", "msg=Hello World");
    }

    @Test
    void priorityTakesNamesNumbersAndRanges() {
        assertThat(events(logs("-p", "warning"))).containsExactly("K_WARN", "D_ERROR", "DM_CRIT");
        assertThat(events(logs("-p", "3"))).containsExactly("D_ERROR", "DM_CRIT");
        assertThat(events(logs("-p", "warning..err"))).containsExactly("K_WARN", "D_ERROR");
        assertThat(events(logs("-p", "4..3"))).containsExactly("K_WARN", "D_ERROR");
        ReadingCli.Result bad = logs("-p", "loud");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("rayos: priority 'loud' is not a level").hasLineCount(1);
    }

    @Test
    void componentsTakeGlobsAndListsAndMinusKIsTheKernel() {
        assertThat(events(logs("-u", "disk*"))).containsExactly("D_ERROR", "DM_CRIT");
        assertThat(events(logs("-u", "kernel,app"))).containsExactly("K_DEBUG", "K_WARN", "A_INFO");
        assertThat(events(logs("-u", "app", "-u", "disk?on"))).containsExactly("DM_CRIT", "A_INFO");
        assertThat(events(logs("-k"))).containsExactly("K_DEBUG", "K_WARN");
    }

    @Test
    void reverseAndBareLinesCountGiveTheNewestFirstAndTen() {
        for (int i = 0; i < 12; i++) {
            log("app", "N" + i);
        }
        assertThat(events(logs("-r", "-n", "3"))).containsExactly("N11", "N10", "N9");
        assertThat(events(logs("-n"))).hasSize(10).endsWith("N11").startsWith("N2");
        assertThat(events(logs("-n", "all"))).hasSize(18);
        ReadingCli.Result big = logs("-n", "99999999999");
        assertThat(big.exit()).isEqualTo(2);
        assertThat(big.err()).isEqualTo("rayos: -n 99999999999 is more lines than can be kept; use -n all\n");
    }

    @Test
    void fieldMatchesAndFieldValuesWorkAsInJournalctl() {
        assertThat(events(logs("dev=/dev/sda"))).containsExactly("D_ERROR");
        assertThat(events(logs("dev=/dev/sda", "dev=/dev/sdb"))).containsExactly("D_ERROR", "DM_CRIT");
        assertThat(logs("COMPONENT=diskmon", "dev=/dev/sda").out()).isEqualTo("-- No entries --\n");
        assertThat(logs("-q", "COMPONENT=nobody").out()).isEmpty();
        assertThat(logs("-F", "COMPONENT").out()).isEqualTo("boot\nkernel\ndisk\ndiskmon\napp\n");
        assertThat(logs("-F", "dev").out()).isEqualTo("/dev/sda\n/dev/sdb\n");
        assertThat(logs("nonsense").exit()).isEqualTo(2);
    }

    @Test
    void grepIsSmartCase() {
        assertThat(events(logs("-g", "hello world"))).containsExactly("A_INFO");
        assertThat(events(logs("-g", "Hello World"))).containsExactly("A_INFO");
        assertThat(logs("-g", "HELLO WORLD").out()).isEqualTo("-- No entries --\n");
        assertThat(events(logs("-g", "HELLO WORLD", "--case-sensitive=false"))).containsExactly("A_INFO");
    }

    @Test
    void everyOutputFormOfJournalctlIsThere() {
        assertThat(logs("-o", "cat", "-u", "app").out()).isEqualTo("Hello World\n");
        assertThat(logs("-o", "short-iso", "-u", "app").out()).matches("20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ INFO app A_INFO msg=\"Hello World\"\n");
        assertThat(logs("-o", "short-precise", "-u", "app").out()).matches("20\\S+T\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z INFO app A_INFO .*\n");
        assertThat(logs("-o", "short-monotonic", "-u", "app").out()).matches("\\[ *\\d+\\.\\d{6}\\] INFO app A_INFO .*\n");
        assertThat(logs("-o", "json-pretty", "-u", "app").out()).contains("\"component\" : \"app\"").contains("\n");
        assertThat(logs("-o", "verbose", "-u", "app").out()).contains("\n    COMPONENT=app\n    EVENT=A_INFO\n    msg=Hello World\n");
        String export = logs("-o", "export", "-u", "app").out();
        assertThat(export).contains("\nPRIORITY=6\n", "\nSYSLOG_IDENTIFIER=app\n", "\nMESSAGE=Hello World\n", "_BOOT_ID=")
                .containsPattern("(?m)^__REALTIME_TIMESTAMP=\\d{16}$").endsWith("\n\n");
        ReadingCli.Result bad = logs("-o", "fancy");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("short, short-iso, short-precise, short-monotonic, cat, raw, json, json-pretty, verbose, export");
        assertThat(logs("-o", "jsn").err()).endsWith("(did you mean 'json'?)\n");
    }

    @Test
    void utcIsTakenAndChangesNothingSinceEveryTimeShownIsUtc() {
        assertThat(logs("--utc").out()).isEqualTo(logs().out()).contains("Z INFO app A_INFO");
        assertThat(logs("--utc", "-o", "short-iso").out()).isEqualTo(logs("-o", "short-iso").out());
    }

    @Test
    void sinceTakesJournalctlsWords() {
        assertThat(events(logs("--since", "today"))).contains("A_INFO");
        assertThat(events(logs("--since", "yesterday", "--until", "now"))).contains("A_INFO");
        assertThat(events(logs("--since", "1 hour ago"))).contains("A_INFO");
        assertThat(logs("--until", "2020-01-01 10:00").out()).isEqualTo("-- No entries --\n");
        assertThat(logs("--since", "2020-01-01 10:00:30").exit()).isZero();
        assertThat(events(logs("--since", "00:00", "--until", "23:59:59.999999999"))).contains("A_INFO"); // today's times
    }

    @Test
    void monoLinesOfABootThatLaterSyncedItsClockArePlacedByTheirEstimate() {
        assertThat(ReadingCli.run(root, "boot", "--no-wall-clock").exit()).isZero();
        log("kernel", "EARLY");
        assertThat(ReadingCli.run(root, "time-sync", "--utc", "2025-12-30T15:12:01Z").exit()).isZero();
        log("kernel", "LATE");
        assertThat(events(logs("--since", "2025-12-30 15:11", "--until", "2025-12-30 15:13", "-u", "kernel")))
                .containsExactly("EARLY", "LATE");
        assertThat(logs("--until", "2025-12-30 15:11", "-u", "kernel").out()).isEqualTo("-- No entries --\n");
    }

    @Test
    void aBootThatNeverLearntTheWallClockSaysWhyItsLinesAreLeftOutByTime() {
        assertThat(ReadingCli.run(root, "boot", "--no-wall-clock").exit()).isZero();
        log("kernel", "EARLY");
        ReadingCli.Result r = logs("--since", "yesterday");
        assertThat(r.err()).contains("never learnt the wall clock");
        assertThat(logs("-q", "--since", "yesterday").err()).isEmpty();
    }

    @Test
    void diskUsageAndVacuumKeepTheCurrentBootsActiveFiles() throws Exception {
        String id = ReadingCli.run(root, "boot").out().trim();
        log("app", "NEW");
        ReadingCli.Result du = ReadingCli.run(root, "logs", "--disk-usage");
        assertThat(du.out()).matches("Archived and active logs take up [0-9.]+[BKM] in the file system.\n");
        ReadingCli.Result v = ReadingCli.run(root, "logs", "--vacuum-files=0");
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out()).contains("Deleted archived log file var/rayos/logs/boot/").contains("Vacuuming done, freed ");
        try (var s = Files.list(root.resolve("var/rayos/logs/boot"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")).toList()).containsExactly(id + ".log");
        }
        assertThat(events(logs())).contains("NEW");
        assertThat(ReadingCli.run(root, "logs", "--vacuum-size=1G").out()).contains("freed 0B");
        assertThat(ReadingCli.run(root, "logs", "--vacuum-size=lots").exit()).isEqualTo(2);
        assertThat(ReadingCli.run(root, "logs", "--vacuum-time=2d").exit()).isZero();
    }

    @Test
    void theFormsThatCannotGoTogetherAreRefused() {
        assertThat(logs("-f", "-r").exit()).isEqualTo(2);
    }
}
