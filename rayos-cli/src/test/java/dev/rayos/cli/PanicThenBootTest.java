package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.LogSystem;
import dev.rayos.log.boot.BootId;
import dev.rayos.log.crash.Panic;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A panic before the data partition is mounted, then {@code rayos boot}: the report is on disk for {@code rayos crash show}. */
class PanicThenBootTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private String run(String... args) {
        out.getBuffer().setLength(0);
        CommandLine cl = RayosCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = tmp.resolve("root").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        assertThat(cl.execute(all)).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
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
