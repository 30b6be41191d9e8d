package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashCommandsTest {
    @TempDir
    Path tmp;

    /** A boot of the machine: ingest takes crashes of known boots only. */
    String BOOT;

    @org.junit.jupiter.api.BeforeEach
    void bootTheMachine() {
        Cli.Result r = Cli.onRoot(tmp.resolve("root"), "boot");
        assertThat(r.exit()).as(r.err()).isZero();
        BOOT = r.out().trim();
    }

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int run(String... args) {
        Cli.Result r = Cli.onRoot(tmp.resolve("root"), args);
        out.write(r.out());
        err.write(r.err());
        return r.exit();
    }

    private static Path vector(String relative) {
        String repo = System.getProperty("rayos.repo");
        Path root = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath().getParent();
        return root.resolve("docs/crash-report-vectors").resolve(relative);
    }

    private Path panics() {
        return tmp.resolve("root/var/rayos/crash/panics");
    }

    @Test
    void ingestingASerialLogWritesAReportThatCrashesListsAndShowPrints() throws Exception {
        int code = run("crash", "ingest", "--serial", vector("kernel/linux-6.1-sysrq-panic.serial.log").toString(),
                "--boot", BOOT);

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().strip()).isEqualTo("var/rayos/crash/panics/" + BOOT + ".log");

        out.getBuffer().setLength(0);
        assertThat(run("crashes")).isZero();
        assertThat(out.toString().lines()).hasSize(2);
        assertThat(out.toString().lines().skip(1).findFirst().orElseThrow())
                .startsWith(BOOT).contains("kernel", "Kernel panic - not syncing: sysrq triggered crash");
        assertThat(out.toString().lines()).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));

        out.getBuffer().setLength(0);
        assertThat(run("crash", "show")).isZero();
        assertThat(out.toString()).startsWith("format=rayos-crash-report/1\nboot_id=" + BOOT + "\n")
                .contains("\n[stack]\ndump_stack_lvl+0x44/0x5c\n");
        // the printk time placed through the boot's clock, to the microsecond as lines carry UTC
        assertThat(out.toString()).containsPattern("(?m)^time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$");
        out.getBuffer().setLength(0);
        assertThat(run("crashes", "-o", "json")).isZero();
        assertThat(out.toString()).containsPattern("\"time\":\"[0-9T:.-]+\\.\\d{6}Z\"");
    }

    @Test
    void ingestingAnHsErrLogWritesAJvmReportBesideAnEarlierCrashOfTheBoot() throws Exception {
        run("crash", "ingest", "--serial", vector("kernel/linux-6.1-sysrq-panic.serial.log").toString(), "--boot", BOOT);
        out.getBuffer().setLength(0);

        int code = run("crash", "ingest", "--hs-err", vector("jvm/hs_err-17.0.15-sigsegv.log").toString(), "--boot", BOOT);

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().strip()).isEqualTo("var/rayos/crash/panics/" + BOOT + ".2.log");
        out.getBuffer().setLength(0);
        assertThat(run("crash", "show", BOOT)).isZero();
        assertThat(out.toString()).contains("source=kernel", "source=jvm", "fault_address=0x0000000000000000");
    }

    @Test
    void badInputSaysWhatInOneLineExitsTwoAndWritesNothing() throws Exception {
        Path notHsErr = tmp.resolve("notes.txt");
        Files.writeString(notHsErr, "hello\n");
        String[][] bad = {
            {"crash", "ingest", "--hs-err", notHsErr.toString(), "--boot", BOOT},
            {"crash", "ingest", "--serial", tmp.resolve("absent.log").toString(), "--boot", BOOT},
            {"crash", "ingest", "--serial", notHsErr.toString(), "--boot", "../../etc"},
            {"crash", "ingest", "--serial", notHsErr.toString(), "--hs-err", notHsErr.toString(), "--boot", BOOT},
            {"crash", "ingest", "--boot", BOOT},
            {"crash", "ingest", "--serial", notHsErr.toString(), "--boot", "0123456789abcdef0123456789abcdef"},
            {"crash", "show", "not-a-boot"},
        };
        for (String[] args : bad) {
            err.getBuffer().setLength(0);

            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString().lines()).as(String.join(" ", args)).hasSize(1);
            assertThat(err.toString()).startsWith("rayos: ");
        }
        assertThat(CrashList.load(new dev.rayos.log.root.RootLayout(tmp.resolve("root"))).all()).isEmpty();
    }

    @Test
    void aFileThatIsADirectoryMissingOrUnreadableIsNamedWithWhy() throws Exception {
        assertThat(run("crash", "ingest", "--serial", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("rayos: --serial " + tmp + ": is a directory, not a file\n");
        err.getBuffer().setLength(0);
        assertThat(run("crash", "ingest", "--hs-err", tmp.resolve("absent").toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("rayos: --hs-err " + tmp.resolve("absent") + ": no such file\n");
        Path secret = tmp.resolve("console.log");
        Files.copy(vector("kernel/linux-6.1-sysrq-panic.serial.log"), secret);
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        Cli.Result r = Unprivileged.run(tmp, "--root", tmp.resolve("root").toString(), "crash", "ingest", "--serial",
                secret.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("rayos: --serial " + secret + ": permission denied\n");
        assertThat(CrashList.load(new dev.rayos.log.root.RootLayout(tmp.resolve("root"))).all()).isEmpty();
    }

    @Test
    void ingestOnARootWithNoMachineSaysSoAndExitsNine() {
        Cli.Result r = Cli.onRoot(tmp.resolve("mistyped"), "crash", "ingest", "--serial",
                vector("kernel/linux-6.1-sysrq-panic.serial.log").toString());
        assertThat(r.exit()).isEqualTo(9);
        assertThat(r.err()).startsWith("rayos: no RayOS machine at " + tmp.resolve("mistyped"));
        assertThat(tmp.resolve("mistyped")).doesNotExist();
    }

    @Test
    void aSerialLogWithoutACrashIsACheckThatDidNotHold() throws Exception {
        Path quiet = tmp.resolve("quiet.log");
        Files.writeString(quiet, "[    0.000000] Linux version 6.1.0\n");

        assertThat(run("crash", "ingest", "--serial", quiet.toString(), "--boot", BOOT)).isEqualTo(1);
        assertThat(err.toString()).contains("no kernel crash found");
        assertThat(run("crash", "show")).isEqualTo(1);
    }

    @Test
    void ingestOfAnUnknownBootIsRefusedAndWritesNothing() throws Exception {
        String other = "0123456789abcdef0123456789abcdef";
        int code = run("crash", "ingest", "--serial", vector("kernel/linux-6.1-sysrq-panic.serial.log").toString(),
                "--boot", other);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("rayos: no boot " + other + " under " + tmp.resolve("root")
                + " (see 'rayos boots')\n");
        assertThat(CrashList.load(new dev.rayos.log.root.RootLayout(tmp.resolve("root"))).all()).isEmpty();
    }

    @Test
    void ingestingTheSameTextTwiceKeepsOneReportAndMarksTheBootCrashed() throws Exception {
        String log = vector("kernel/linux-6.1-sysrq-panic.serial.log").toString();
        assertThat(run("crash", "ingest", "--serial", log)).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("crash", "ingest", "--serial", log)).isZero();
        assertThat(out.toString()).isEqualTo("var/rayos/crash/panics/" + BOOT + ".log (already ingested, unchanged)\n");
        assertThat(Files.list(panics()).count()).isEqualTo(1);
        out.getBuffer().setLength(0);
        run("boots");
        assertThat(out.toString()).containsPattern(BOOT + " .* crash ");
    }

    @Test
    void everyListedReportCanBeShownByItsIdByPrefixAndByOffset() throws Exception {
        run("crash", "ingest", "--serial", vector("kernel/linux-6.1-sysrq-panic.serial.log").toString());
        run("crash", "ingest", "--hs-err", vector("jvm/hs_err-17.0.15-sigsegv.log").toString());
        out.getBuffer().setLength(0);
        assertThat(run("crashes")).isZero();
        List<String> ids = out.toString().lines().skip(1).map(l -> l.split(" ")[0]).toList();
        assertThat(ids).containsExactlyInAnyOrder(BOOT, BOOT + ".2");
        for (String id : ids) {
            out.getBuffer().setLength(0);
            assertThat(run("crash", "show", id)).as(err.toString()).isZero();
            assertThat(out.toString()).startsWith("format=rayos-crash-report/1\nboot_id=" + BOOT);
            out.getBuffer().setLength(0);
            assertThat(run("crashes", "info", id)).isZero();
            assertThat(out.toString()).contains("ID: " + id + "\n");
        }
        out.getBuffer().setLength(0);
        run("crashes", "info", "-1");
        String latest = out.toString();
        out.getBuffer().setLength(0);
        run("crashes", "-r");
        assertThat(latest).contains("ID: " + out.toString().lines().skip(1).findFirst().orElseThrow().split(" ")[0] + "\n");
        out.getBuffer().setLength(0);
        assertThat(run("crashes", "show", BOOT.substring(0, 6))).isZero();
        assertThat(out.toString()).contains("source=kernel", "source=jvm");
        out.getBuffer().setLength(0);
        assertThat(run("crashes", "-o", "json", "-1")).isZero();
        assertThat(out.toString()).startsWith("{\"id\":").hasLineCount(1);
        assertThat(run("crashes", "--since", "2199-01-01")).isEqualTo(1);
        assertThat(run("crashes", "-5")).isEqualTo(1);
    }

    @Test
    void theTimeColumnIsTheCrashsOwnTimeNoWiderThanItsValues() throws Exception {
        run("crash", "ingest", "--hs-err", vector("jvm/hs_err-17.0.15-sigsegv.log").toString());
        String timeLine = Files.readAllLines(vector("jvm/hs_err-17.0.15-sigsegv.log")).stream()
                .filter(l -> l.startsWith("Time: ")).findFirst().orElseThrow();
        out.getBuffer().setLength(0);
        run("crashes");
        String[] lines = out.toString().split("\n");
        int timeAt = lines[0].indexOf("TIME");
        int bootAt = lines[0].indexOf("BOOT");
        String time = lines[1].substring(timeAt, bootAt).strip();
        assertThat(bootAt - timeAt - 2).isEqualTo(time.length());
        java.time.ZonedDateTime z = java.time.ZonedDateTime.parse(time.replace(" UTC", "Z").replace(' ', 'T'));
        assertThat(timeLine).contains(String.format("%02d:%02d:%02d %d", z.getHour(), z.getMinute(), z.getSecond(), z.getYear()));
    }

    @Test
    void aReportIngestedOnABootWithoutWallClockCarriesMonoTime() throws Exception {
        Cli.Result b = Cli.onRoot(tmp.resolve("root"), "boot", "--no-wall-clock");
        String id = b.out().trim();
        assertThat(run("crash", "ingest", "--serial", vector("kernel/linux-6.1-sysrq-panic.serial.log").toString())).isZero();
        String report = Files.readString(panics().resolve(id + ".log"));
        assertThat(report).containsPattern("(?m)^time=mono:[0-9]+$");
        out.getBuffer().setLength(0);
        run("crashes");
        assertThat(out.toString()).contains(" mono ");
    }

    @Test
    void aJdk8LogIsListedAtTheTimeItsTimeAndTimezoneLinesSayAndShowsWhatRanOut() throws Exception {
        // a real JDK 8 out-of-memory log: "time: Tue Nov 10 10:20:10 2020" and "timezone: +08" at its end
        Path log = vector("real/hs_err-8-linux-oom-zone-offset.txt");
        assertThat(run("crash", "ingest", "--hs-err", log.toString())).as(err.toString()).isZero();

        out.getBuffer().setLength(0);
        assertThat(run("crashes")).isZero();
        assertThat(out.toString().split("\n")[1]).contains("2020-11-10 02:20:10 UTC");

        out.getBuffer().setLength(0);
        assertThat(run("crash", "show", "-1")).isZero();
        assertThat(out.toString())
                .contains("\ntime=2020-11-10T02:20:10")
                .contains("\ndetail=Native memory allocation (mmap) failed to map 754974720 bytes for committing reserved memory.\n")
                .contains("\npid=25305\n");
    }

    @Test
    void aJdk8LogWhoseZoneCannotBePlacedIsListedAtItsIngestTime() throws Exception {
        // Windows names its zone in words ("Eastern Standard Time") or, here, not at all: the local time is kept as text
        Path log = vector("real/hs_err-8u191-windows-oom-malloc.txt");
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        assertThat(run("crash", "ingest", "--hs-err", log.toString())).as(err.toString()).isZero();

        out.getBuffer().setLength(0);
        assertThat(run("crash", "show", "-1")).isZero();
        assertThat(out.toString()).contains("\njvm_time=Mon Jan 11 09:46:05 2021\n");
        String time = out.toString().lines().filter(l -> l.startsWith("time=")).findFirst().orElseThrow();
        assertThat(java.time.Instant.parse(time.substring(5))).isAfter(before);
    }
}
