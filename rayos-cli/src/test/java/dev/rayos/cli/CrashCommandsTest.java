package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashCommandsTest {
    static final String BOOT = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

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

        out.getBuffer().setLength(0);
        assertThat(run("crash", "show")).isZero();
        assertThat(out.toString()).startsWith("format=rayos-crash-report/1\nboot_id=" + BOOT + "\n")
                .contains("\n[stack]\ndump_stack_lvl+0x44/0x5c\n");
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
            {"crash", "show", "not-a-boot"},
        };
        for (String[] args : bad) {
            err.getBuffer().setLength(0);

            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString().lines()).as(String.join(" ", args)).hasSize(1);
            assertThat(err.toString()).startsWith("rayos: ");
        }
        assertThat(tmp.resolve("root")).doesNotExist();
    }

    @Test
    void aSerialLogWithoutACrashIsACheckThatDidNotHold() throws Exception {
        Path quiet = tmp.resolve("quiet.log");
        Files.writeString(quiet, "[    0.000000] Linux version 6.1.0\n");

        assertThat(run("crash", "ingest", "--serial", quiet.toString(), "--boot", BOOT)).isEqualTo(1);
        assertThat(err.toString()).contains("no kernel crash found");
        assertThat(run("crash", "show")).isEqualTo(1);
    }
}
