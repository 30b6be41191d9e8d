package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 11: -f starts with the last 10 lines and waits on an empty machine; the pager on a terminal only. */
class FollowAndPagerTest {
    @TempDir
    Path tmp;

    /** Starts 'logs -f ARGS' in a thread; it stops once its output holds {@code until}. */
    Thread follow(Path root, ByteArrayOutputStream out, AtomicInteger exit, String until, String... args) {
        CommandLine cl = RayosCommand.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        LogsCommand logs = (LogsCommand) cl.getSubcommands().get("logs").getCommand();
        logs.out = out;
        logs.pollMillis = 20;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        logs.stopFollowing = () -> out.toString(StandardCharsets.UTF_8).contains(until) || System.nanoTime() > deadline;
        String[] all = new String[args.length + 4];
        all[0] = "--root";
        all[1] = root.toString();
        all[2] = "logs";
        all[3] = "-f";
        System.arraycopy(args, 0, all, 4, args.length);
        Thread t = new Thread(() -> exit.set(cl.execute(all)));
        t.start();
        return t;
    }

    @Test
    void followStartsWithTheLastTenLinesThenShowsNewOnes() throws Exception {
        Path root = tmp.resolve("m");
        Cli.onRoot(root, "boot");
        for (int i = 0; i < 15; i++) {
            Cli.onRoot(root, "log", "app", "OLD_" + i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread t = follow(root, out, exit, "NEW_ONE", "-u", "app");
        long shown = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString(StandardCharsets.UTF_8).contains("OLD_14") && System.nanoTime() < shown) {
            Thread.sleep(20); // the new line must come after the first ten are shown, however slow the start
        }
        Cli.onRoot(root, "log", "app", "NEW_ONE");
        t.join(60_000);
        assertThat(exit.get()).isZero();
        List<String> events = out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("--"))
                .map(l -> l.split(" ")[3]).toList();
        assertThat(events).containsExactly("OLD_5", "OLD_6", "OLD_7", "OLD_8", "OLD_9", "OLD_10", "OLD_11", "OLD_12",
                "OLD_13", "OLD_14", "NEW_ONE");
    }

    @Test
    void followOnAMachineWithNoBootYetWaitsForTheFirst() throws Exception {
        Path root = tmp.resolve("empty");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread t = follow(root, out, exit, "FIRST_WORDS");
        Thread.sleep(500);
        assertThat(t.isAlive()).as("still waiting").isTrue();
        Cli.onRoot(root, "boot");
        Cli.onRoot(root, "log", "app", "FIRST_WORDS");
        t.join(60_000);
        assertThat(exit.get()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("BOOT_START").contains("FIRST_WORDS");
    }

    /** The real command under a pseudo-terminal ({@code script}), with {@code RAYOS_PAGER} set. */
    static String onTerminal(Path root, String pager, String... args) throws Exception {
        StringBuilder cmd = new StringBuilder();
        cmd.append(Path.of(System.getProperty("java.home"), "bin", "java")).append(" -XX:TieredStopAtLevel=1 -cp '")
                .append(System.getProperty("java.class.path")).append("' ").append(Main.class.getName())
                .append(" --root '").append(root).append("'");
        for (String a : args) {
            cmd.append(" '").append(a).append("'");
        }
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd.toString(), "/dev/null");
        pb.environment().put("RAYOS_PAGER", pager);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void onATerminalTheOutputGoesThroughThePagerUnlessNoPager() throws Exception {
        assumeTrue(new File("/usr/bin/script").canExecute(), "util-linux script is absent (.ci/install-cli.sh installs it)");
        Path root = tmp.resolve("m");
        Cli.onRoot(root, "boot");
        Cli.onRoot(root, "log", "app", "PAGE_ME");
        assertThat(onTerminal(root, "sed s/^/PAGED:/", "logs", "-u", "app")).contains("PAGED:").contains("PAGE_ME");
        assertThat(onTerminal(root, "sed s/^/PAGED:/", "logs", "--no-pager", "-u", "app")).doesNotContain("PAGED:")
                .contains("PAGE_ME");
        // a pager that is not installed falls back (less, more, none), as journalctl's does
        assertThat(onTerminal(root, "/nonexistent/pager", "logs", "-u", "app")).contains("PAGE_ME")
                .doesNotContain("rayos:").doesNotContain("not found");
        // not a terminal: a pipe reads it, no pager
        Cli.Result piped = Cli.process(new byte[0], "--root", root.toString(), "logs", "-u", "app");
        assertThat(piped.out()).doesNotContain("PAGED:").contains("PAGE_ME");
    }
}
