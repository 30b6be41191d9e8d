package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code rayos logs -f} in this JVM while other processes (child JVMs running the rayos command)
 * write: through rotations of the boot's log and into a new boot.
 */
class FollowTest {
    static final int LINES = 3000;

    @TempDir
    Path root;

    /** Runs the rayos command in a child JVM, {@code stdin} fed to it. */
    Process rayos(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.rayos.cli.Main", "--root", root.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        return p;
    }

    static void finish(Process p) throws Exception {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void followingShowsEveryLineOnceThroughRotationsAndIntoANewBoot() throws Exception {
        Files.createDirectories(root.resolve("etc/rayos"));
        Files.writeString(root.resolve("etc/rayos/policy.conf"),
                "retention.max_file_size = 128KiB\nretention.max_files = 50\n");
        Process first = rayos(null, "boot");
        finish(first);
        String firstBoot = new String(first.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();

        CommandLine cl = RayosCommand.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        LogsCommand logs = (LogsCommand) cl.getSubcommands().get("logs").getCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        logs.out = out;
        logs.pollMillis = 50;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        logs.stopFollowing = () -> out.toString(StandardCharsets.UTF_8).contains("AFTER_NEW_BOOT")
                || System.nanoTime() > deadline;
        AtomicInteger exit = new AtomicInteger(-1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread follower = new Thread(() -> {
            try {
                exit.set(cl.execute("--root", root.toString(), "logs", "-f", "-o", "short", "--component", "feeder",
                        "--component", "after"));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        follower.start();

        StringBuilder input = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            input.append(String.format("line-%05d padding to make the log rotate sooner %s%n", i, "x".repeat(40)));
        }
        finish(rayos(input.toString(), "cat", "feeder"));
        long segments;
        try (var s = Files.list(root.resolve("var/rayos/logs/boot"))) {
            segments = s.filter(p -> p.getFileName().toString().matches(firstBoot + "\\.[0-9]+\\.log")).count();
        }
        assertThat(segments).as("the boot's log rotated").isGreaterThanOrEqualTo(2);
        Process second = rayos(null, "boot");
        finish(second);
        String secondBoot = new String(second.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        finish(rayos(null, "log", "after", "AFTER_NEW_BOOT", "n=1"));

        follower.join(TimeUnit.SECONDS.toMillis(200));
        assertThat(failure.get()).isNull();
        assertThat(exit.get()).as(err.toString()).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> fed = lines.stream().filter(l -> l.contains(" feeder MSG ")).toList();
        assertThat(fed).hasSize(LINES);
        for (int i = 0; i < LINES; i++) {
            assertThat(fed.get(i)).contains(String.format("msg=\"line-%05d ", i));
        }
        int lastFed = lines.indexOf(fed.get(LINES - 1));
        int newBoot = lines.indexOf("-- boot " + secondBoot + " #2 normal --");
        int after = lines.indexOf(lines.stream().filter(l -> l.contains("AFTER_NEW_BOOT")).findFirst().orElseThrow());
        assertThat(newBoot).isGreaterThan(lastFed);
        assertThat(after).isGreaterThan(newBoot);
        assertThat(new File(root.toFile(), "var/rayos/logs/boot/" + secondBoot + ".log")).exists();
    }
}
