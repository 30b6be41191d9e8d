package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.time.LogClock;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.root.RootLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashIngestTest {
    static final BootId BOOT = BootId.parse("0123456789abcdef0123456789abcdef");

    @TempDir
    Path root;

    @Test
    void aConsoleLogWithTwoCrashesGivesTwoReportsOfTheBootInOrder() throws Exception {
        Path console = root.resolve("console.log");
        Files.writeString(console, Vectors.text("kernel/null-deref-oops-panic.serial.log")
                + Vectors.text("kernel/linux-6.1-sysrq-panic.serial.log"));
        RootLayout layout = new RootLayout(root.resolve("machine"));

        List<Path> written = new CrashIngest(layout, "0.1.0", null).serial(console, BOOT, Timestamp.mono(5));

        assertThat(written).containsExactly(layout.crashReport(BOOT),
                layout.crashPanicsDir().resolve(BOOT.hex() + ".2.log"));
        CrashReport first = CrashReportFiles.read(written.get(0));
        assertThat(first.reason()).startsWith("BUG: kernel NULL pointer dereference");
        assertThat(first.version()).contains("0.1.0");
        assertThat(first.attributes()).containsEntry("origin", console.toString());
        assertThat(CrashReportFiles.read(written.get(1)).reason())
                .isEqualTo("Kernel panic - not syncing: sysrq triggered crash");
    }

    @Test
    void aConsoleLogWithoutACrashWritesNothing() throws Exception {
        Path console = root.resolve("console.log");
        Files.writeString(console, "[    0.000000] Linux version 6.1.0\nRAYOS_READY\n");
        RootLayout layout = new RootLayout(root.resolve("machine"));

        assertThat(new CrashIngest(layout, null, null).serial(console, BOOT, Timestamp.mono(5))).isEmpty();
        assertThat(layout.root()).doesNotExist();
    }

    @Test
    void aRealHsErrLogGivesAJvmReportAndOtherTextWritesNothing() throws Exception {
        RootLayout layout = new RootLayout(root.resolve("machine"));
        CrashIngest ingest = new CrashIngest(layout, null, null);
        Path notHsErr = root.resolve("notes.txt");
        Files.writeString(notHsErr, "hello\n");

        assertThatThrownBy(() -> ingest.hsErr(notHsErr, BOOT, Timestamp.mono(1))).isInstanceOf(CrashParseException.class);
        assertThat(layout.root()).doesNotExist();

        Path report = ingest.hsErr(Vectors.path("jvm/hs_err-17.0.15-sigsegv.log"), BOOT, Timestamp.mono(1));
        assertThat(CrashReportFiles.read(report).source()).isEqualTo(CrashReport.Source.JVM);
        assertThat(CrashReportFiles.read(report).faultAddress()).contains("0x0000000000000000");
    }

    @Test
    void anArm64OopsThatPanickedIsIngestedAsOneReportWithTheOopsNotJustThePanic() throws Exception {
        RootLayout layout = new RootLayout(root.resolve("machine"));

        List<Path> written = new CrashIngest(layout, null, null)
                .serial(Vectors.path("real/arm64-6.12-oops-then-panic.txt"), BOOT, Timestamp.mono(5));

        assertThat(written).containsExactly(layout.crashReport(BOOT));
        CrashReport r = CrashReportFiles.read(written.get(0));
        assertThat(r.kind()).contains("bug");
        assertThat(r.reason()).startsWith("Unable to handle kernel paging request");
        assertThat(r.faultAddress()).contains("0xefff800000000137");
        assertThat(r.errorCode()).contains("0x0000000096000005");
        assertThat(r.attributes()).containsEntry("panic_reason", "Oops: Fatal exception");
        assertThat(r.registers()).containsKeys("x0", "x29", "sp", "pstate");
    }

    @Test
    void aWindowsHsErrLogIsIngestedWithItsKindAndFaultAddress() throws Exception {
        RootLayout layout = new RootLayout(root.resolve("machine"));

        Path report = new CrashIngest(layout, null, null)
                .hsErr(Vectors.path("real/hs_err-11.0.8-windows-access-violation.txt"), BOOT, Timestamp.mono(1));

        CrashReport r = CrashReportFiles.read(report);
        assertThat(r.kind()).contains("EXCEPTION_ACCESS_VIOLATION");
        assertThat(r.faultAddress()).contains("0xffffffffffffffff");
    }

    @Test
    void theSameConsoleIngestedTwiceWritesItsReportsOnceAndSaysWhichWereThere() throws Exception {
        Path console = root.resolve("console.log");
        Files.writeString(console, Vectors.text("kernel/null-deref-oops-panic.serial.log")
                + Vectors.text("kernel/linux-6.1-sysrq-panic.serial.log"));
        RootLayout layout = new RootLayout(root.resolve("machine"));
        List<Path> first = new CrashIngest(layout, null, null).serial(console, BOOT, Timestamp.mono(5));
        // A damaged report of the same boot is no match for anything.
        Files.writeString(layout.crashPanicsDir().resolve(BOOT.hex() + ".3.log"), "damaged\n");

        CrashIngest again = new CrashIngest(layout, null, null);
        assertThat(again.serial(console, BOOT, Timestamp.mono(6))).isEqualTo(first);
        assertThat(again.alreadyIngested()).isEqualTo(first);
        try (var files = Files.list(layout.crashPanicsDir())) {
            assertThat(files.count()).as("no report written twice").isEqualTo(3);
        }
        // The same text in another boot is another crash.
        BootId other = BootId.parse("fedcba9876543210fedcba9876543210");
        CrashIngest elsewhere = new CrashIngest(layout, null, null);
        assertThat(elsewhere.serial(console, other, Timestamp.mono(7))).containsExactly(layout.crashReport(other),
                layout.crashPanicsDir().resolve(other.hex() + ".2.log"));
        assertThat(elsewhere.alreadyIngested()).isEmpty();
    }

    @Test
    void aCrashIngestedForABootOfThisMachineCarriesItsVersionItsOwnTimeAndMarksTheBootCrashed() throws Exception {
        RootLayout layout = new RootLayout(root.resolve("machine"));
        Boots boots = new Boots(layout, LogClock.system());
        BootRecord boot = boots.start(BootMode.NORMAL, false); // no wall clock: the crash stays in mono
        Path console = root.resolve("console.log");
        Files.writeString(console, Vectors.text("kernel/linux-6.1-sysrq-panic.serial.log"));

        List<Path> written = new CrashIngest(layout, boot).serial(console, boot.id(), Timestamp.mono(5));

        CrashReport r = CrashReportFiles.read(written.get(0));
        assertThat(r.version()).contains(boot.version());
        assertThat(r.time().mono()).as("printk time, a boot without a wall clock").isTrue();
        assertThat(r.time()).isNotEqualTo(Timestamp.mono(5));
        assertThat(r.time().nanos()).isEqualTo(new java.math.BigDecimal(r.attributes().get("uptime"))
                .movePointRight(9).longValueExact());
        BootRecord after = boots.read(boot.id());
        assertThat(after.end()).isEqualTo(EndState.CRASH);
        assertThat(after.crash()).isEqualTo(layout.relative(written.get(0)));
    }
}
