package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: status/analyze as systemd-analyze ("Startup finished in …", blame, critical-chain, -o json),
 * over component events written through the real logging API as the boot agent writes them; and bug
 * 11, the plot of a boot without markers or with a crash.
 */
class AnalyzeTest {
    @TempDir
    Path root;
    @TempDir
    Path out;

    /** A clock the test moves: UTC is the boot's start plus {@code at}. */
    static final class SetClock implements LogClock {
        final long startUtc;
        long at;

        SetClock(long startUtc) {
            this.startUtc = startUtc;
        }

        @Override
        public long monoNanos() {
            return at;
        }

        @Override
        public long utcNanos() {
            return startUtc + at;
        }
    }

    static long s(double seconds) {
        return (long) (seconds * 1e9);
    }

    BootId bootWithComponents(boolean ready) throws Exception {
        BootId id = BootId.parse(Cli.onRoot(root, "boot").out().trim());
        RootLayout layout = new RootLayout(root);
        long startUtc = new Boots(layout, LogClock.system()).read(id).clockPair().utcNanos();
        SetClock clock = new SetClock(startUtc);
        try (LogSystem sys = LogSystem.builder(layout).boot(id).clock(clock).wallClockKnown(true).open()) {
            clock.at = s(1.0);
            sys.logger("kernel").info("RAYOS_KERNEL_START").log();
            clock.at = s(1.5);
            sys.logger("agent").info("RAYOS_COMPONENT_START").kv("name", "storage").log();
            sys.logger("agent").info("RAYOS_COMPONENT_START").kv("name", "net").log();
            clock.at = s(2.0);
            sys.logger("agent").info("RAYOS_COMPONENT_READY").kv("name", "storage").kv("ms", 500).log();
            sys.logger("agent").info("RAYOS_COMPONENT_START").kv("name", "crashy").log();
            clock.at = s(2.3);
            sys.logger("agent").warn("RAYOS_COMPONENT_EXIT").kv("name", "crashy").kv("status", 1).kv("ms", 300).log();
            clock.at = s(3.5);
            sys.logger("agent").info("RAYOS_COMPONENT_READY").kv("name", "net").kv("ms", 2000).log();
            clock.at = s(3.6);
            sys.logger("agent").info("RAYOS_COMPONENT_START").kv("name", "ui").log();
            clock.at = s(4.6);
            sys.logger("agent").info("RAYOS_COMPONENT_READY").kv("name", "ui").kv("ms", 1000).log();
            if (ready) {
                clock.at = s(5.0);
                sys.logger("agent").info("RAYOS_READY").kv("mode", "normal").log();
            }
        }
        return id;
    }

    @Test
    void analyzeSaysStartupFinishedWithEachPhase() throws Exception {
        bootWithComponents(true);
        Cli.Result r = Cli.onRoot(root, "analyze");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Startup finished in 1.000s (firmware+loader) + 4.000s (system) = 5.000s.\n");
        assertThat(Cli.onRoot(root, "status").out()).contains("\nStartup finished in 1.000s (firmware+loader)");
    }

    @Test
    void thePhasesShownAddUpToTheTotalShown() throws Exception {
        BootId id = BootId.parse(Cli.onRoot(root, "boot").out().trim());
        RootLayout layout = new RootLayout(root);
        SetClock clock = new SetClock(new Boots(layout, LogClock.system()).read(id).clockPair().utcNanos());
        try (LogSystem sys = LogSystem.builder(layout).boot(id).clock(clock).wallClockKnown(true).open()) {
            clock.at = 132_600_000L;
            sys.logger("loader").info("RAYOS_BOOTLOADER_START").log();
            clock.at = 132_900_000L;
            sys.logger("kernel").info("RAYOS_KERNEL_START").log();
            clock.at = 227_000_000L;
            sys.logger("agent").info("RAYOS_READY").log();
        }
        // each part rounded apart would give 0.132s + 0.000s + 0.094s = 0.227s
        assertThat(Cli.onRoot(root, "analyze").out())
                .isEqualTo("Startup finished in 0.132s (firmware) + 0.000s (loader) + 0.095s (system) = 0.227s.\n");
    }

    @Test
    void blameListsComponentsByTimeToReadySlowestFirst() throws Exception {
        bootWithComponents(true);
        Cli.Result r = Cli.onRoot(root, "analyze", "blame");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(
                "             TIME  COMPONENT\n"
                + "           2.000s  net\n"
                + "           1.000s  ui\n"
                + "           0.500s  storage\n"
                + "exited (status 1)  crashy\n");
    }

    @Test
    void criticalChainIsWhatReadyWaitedOn() throws Exception {
        bootWithComponents(true);
        Cli.Result r = Cli.onRoot(root, "analyze", "critical-chain");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).endsWith("RAYOS_READY @5.000s\n\u2514\u2500ui @4.600s +1.000s\n  \u2514\u2500net @3.500s +2.000s\n");
        Cli.Result json = Cli.onRoot(root, "analyze", "critical-chain", "-o", "json");
        assertThat(json.out()).isEqualTo("[\"ui\",\"net\"]\n");
    }

    @Test
    void aBootThatIsNotReadySaysSoAndExitsOne() throws Exception {
        bootWithComponents(false);
        Cli.Result r = Cli.onRoot(root, "analyze");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("Startup not finished: RAYOS_READY was not reached (the boot is running).\n");
        Cli.Result j = Cli.onRoot(root, "status", "-o", "json");
        assertThat(j.exit()).isEqualTo(1);
        assertThat(j.out()).startsWith("{\"boot_id\":").doesNotContain("\"RAYOS_READY\":").contains("\"end\":\"running\"")
                .contains("\"critical_chain\":[\"ui\",\"net\"]");
    }

    @Test
    void thePlotOfABootWithoutMarkersHasASecondLongAxisALegendAndTheEndState() throws Exception {
        Cli.onRoot(root, "boot");
        Path svg = out.resolve("b.svg");
        Cli.onRoot(root, "status", "--plot", svg.toString());
        String doc = Files.readString(svg);
        assertThat(doc).contains(">1.000s<").doesNotContain(">0.010s<");
        assertThat(doc).contains("span to a milestone").contains("end: running");
    }

    @Test
    void aPanicIsDrawnAsACrashNotAsAMilestone() throws Exception {
        Cli.onRoot(root, "boot");
        Cli.onRoot(root, "log", "kernel", "RAYOS_KERNEL_START");
        Cli.onRoot(root, "log", "--level", "EMERG", "app", "RAYOS_PANIC", "report=var/rayos/crash/panics/x.log");
        Path svg = out.resolve("p.svg");
        Cli.onRoot(root, "status", "--plot", svg.toString());
        String doc = Files.readString(svg);
        assertThat(doc).contains("crash (RAYOS_PANIC) at ").doesNotContain(">RAYOS_PANIC<").contains(">RAYOS_KERNEL_START<");
    }
}
