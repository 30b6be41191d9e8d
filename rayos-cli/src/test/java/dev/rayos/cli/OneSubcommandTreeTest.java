package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line built for the subcommand named, from the build's command model, answers exactly
 * as the whole command built from the annotations does.
 */
class OneSubcommandTreeTest {
    @TempDir
    Path root;

    @Test
    void helpErrorsAndBadInputReadTheSameAsWithEveryCommand() {
        String r = root.toString();
        List<String[]> cases = List.of(
                new String[] {}, new String[] {"--help"}, new String[] {"-V"}, new String[] {"help"},
                new String[] {"help", "log"}, new String[] {"log", "--help"}, new String[] {"logs", "-h"},
                new String[] {"lgo"}, new String[] {"log"}, new String[] {"--root"}, new String[] {"--bogus", "log"},
                new String[] {"--root", r, "--bogus", "log", "kernel", "X"},
                new String[] {"--root=" + r, "log", "Bad Component", "X"},
                new String[] {"log", "--root", r, "--level", "LOUD", "kernel", "X"},
                new String[] {"--root", r, "log", "kernel", "X", "novalue"},
                new String[] {"--root", r, "logs", "-o", "yaml"}, new String[] {"--root", r, "logs", "-n", "-3"},
                new String[] {"--root", r, "logs", "--since", "whenever"},
                new String[] {"--root", r, "crash", "show", "--help"}, new String[] {"--root", r, "crash", "nope"},
                new String[] {"--root", r, "status", "--bogus"}, new String[] {"--root", r, "boots", "extra"},
                new String[] {"logs", "--help"}, new String[] {"help", "logs"}, new String[] {"boots", "--help"},
                new String[] {"--root", r, "logs", "--sinse", "-1h"}, new String[] {"--root", r, "logs", "-p", "loud"},
                new String[] {"--root", r, "logs", "-n", "x"}, new String[] {"--root", r, "logs", "--vacuum-files", "z"},
                new String[] {"--root", r, "log", "-l"}, new String[] {"--root", r, "log", "kernel"},
                new String[] {"--root", r, "log", "--levle", "WARN", "kernel", "X"},
                new String[] {"--root", r, "cat", "--help"}, new String[] {"--root", r, "boot", "--mode", "odd"},
                new String[] {"--root", r, "time-sync", "--utc"}, new String[] {"--root", r, "shutdown", "now"},
                new String[] {"--root", r, "crashes", "--help"}, new String[] {"--root", r, "vm", "--help"},
                new String[] {"--root", r, "analyze", "--help"}, new String[] {"--root", r, "harness", "run", "--help"},
                new String[] {"--root", r, "recovery", "--help"}, new String[] {"--root", r, "image", "build", "--help"},
                new String[] {"--root", r, "forward", "--bogus"}, new String[] {"--root", r, "demo", "--help"});
        for (String[] args : cases) {
            assertThat(run(RayosCommand.commandLine(args), args)).as(String.join(" ", args))
                    .isEqualTo(run(RayosCommand.whole(null), args));
        }
    }

    @Test
    void aCommandNamedGetsOnlyItselfAndAnythingElseEveryCommand() {
        assertThat(RayosCommand.commandLine("--root", "/x", "logs", "-n", "20").getSubcommands()).containsOnlyKeys("logs");
        assertThat(RayosCommand.commandLine("log", "kernel", "X").getSubcommands()).containsOnlyKeys("log");
        assertThat(RayosCommand.commandLine("help", "log").getSubcommands()).hasSize(RayosCommand.SUBCOMMANDS.size());
        assertThat(RayosCommand.commandLine("lo").getSubcommands()).hasSize(RayosCommand.SUBCOMMANDS.size());
    }

    private static String run(CommandLine cl, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return code + "\n" + out + "\n--\n" + err;
    }
}
