package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.Panic;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A panic before the data partition is mounted, then {@code rayos boot}: the report is on disk for {@code rayos crash show}. */
class PanicThenBootTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private String run(String... args) {
        Cli.Result r = Cli.onRoot(tmp.resolve("root"), args);
        err.write(r.err());
        assertThat(r.exit()).as(String.join(" ", args) + ": " + err).isZero();
        return r.out();
    }

    @Test
    void rayosBootWritesOutAPanicHeldInTheRingAndCrashShowPrintsIt() throws Exception {
        BootId crashed = new BootId(run("boot").strip());
        RootLayout layout = new RootLayout(tmp.resolve("root"));
        try (LogSystem early = LogSystem.builder(layout).boot(crashed).mounted(false)
                .console(new ByteArrayOutputStream()).open()) {
            early.logger("init").info("MOUNTING").kv("device", "/dev/vda2").log();
            assertThat(Panic.of(early, "init").panic("cannot mount the data partition").inRing()).isTrue();
        }
        assertThat(Files.exists(layout.crashReport(crashed))).isFalse();

        run("boot");

        String shown = run("crash", "show", crashed.hex());
        assertThat(shown).startsWith("format=rayos-crash-report/1\nboot_id=" + crashed.hex() + "\n")
                .contains("\nsource=rayos\n", "\nreason=cannot mount the data partition\n", "\n[last_lines]\n")
                .contains("INFO init MOUNTING device=/dev/vda2");
        assertThat(Files.readString(layout.historyFile(crashed)))
                .contains("\"state\" : \"crash\"").contains("var/rayos/crash/panics/" + crashed.hex() + ".log");
    }
}
