package dev.rayos.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.Marker;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.status.StatusChannel;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log system's end and its reports about itself: what {@code close} lets go of, a console too
 * slow for the lines (a FIFO nobody reads yet), the status channel's lines, and start-up's recovery
 * of a ring kept outside {@code run/rayos/ring/} or one it cannot write out yet.
 */
class LogSystemShutdownTest {
    @TempDir
    Path root;

    /** The files under the test's root this process holds open, as {@code ls -l /proc/self/fd} shows them. */
    List<String> openUnderRoot() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(root)) {
                        out.add(target.toString());
                    }
                } catch (IOException gone) {
                    // the descriptor of the listing itself, closed meanwhile
                }
            }
        }
        return out;
    }

    static Set<Thread> logThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("rayos-log-"))
                .collect(Collectors.toSet());
    }

    @Test
    void closingEndsTheLogThreadsAndLetsGoOfTheConsoleTheRingAndEveryLogFile() throws Exception {
        BootId boot = BootId.random();
        RootLayout layout = new RootLayout(root);
        Set<Thread> before = logThreads();
        LogSystem sys = LogSystem.builder(layout).boot(boot).policy(Policy.parse("console.device = dev/ttyS9\n")).open();
        Set<Thread> mine = logThreads();
        mine.removeAll(before);
        for (int i = 0; i < 100; i++) {
            sys.logger("kernel").info("TICK").kv("i", i).log();
            sys.logger("sshd", "auth").info("TICK").kv("i", i).log();
        }
        sys.flush();
        assertThat(openUnderRoot()).as("open while it runs").isNotEmpty();
        assertThat(mine).extracting(Thread::getName)
                .contains("rayos-log-drainer", "rayos-log-syncer", "rayos-log-console");

        sys.close();

        assertThat(openUnderRoot()).as("nothing under the root is held open after close").isEmpty();
        assertThat(mine).as("every thread the log system started has ended").noneMatch(Thread::isAlive);
        assertThat(Files.readAllLines(layout.logFile("boot", boot))).hasSize(100);
        assertThat(Files.readAllLines(layout.logFile("auth", boot))).hasSize(100);
        assertThat(Files.readAllLines(root.resolve("dev/ttyS9"))).hasSize(200).last().asString()
                .endsWith(" INFO sshd TICK i=99");
        sys.close(); // a second close does nothing
    }

    /**
     * A console device that takes nothing for a while (a serial line nobody reads): lines that do
     * not fit its queue are dropped and counted, and once it takes lines again it says how many
     * it missed. The device is a FIFO under the root whose reader starts reading only later.
     */
    @Test
    void aConsoleThatTakesNothingDropsLinesCountsThemAndSaysHowManyOnceItTakesLinesAgain() throws Exception {
        BootId boot = BootId.random();
        RootLayout layout = new RootLayout(root);
        Path fifo = root.resolve("dev/ttyS1");
        Files.createDirectories(fifo.getParent());
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        // the reader end, opened now (the writer's open waits for it) but read only later
        CompletableFuture<InputStream> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileInputStream(fifo.toFile());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        int n = 3000; // about 200 KB: more than the pipe's 64 KiB and the 4 KiB queue together
        String shown;
        long dropped;
        try (LogSystem sys = LogSystem.builder(layout).boot(boot)
                .policy(Policy.parse("console.device = dev/ttyS1\nconsole.queue_size = 4KiB\n")).open()) {
            InputStream in = reader.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < n; i++) {
                sys.logger("kernel").info("TICK").kv("i", i).kv("pad", "p".repeat(20)).log();
            }
            sys.flush(); // every line has been offered to the console by now
            dropped = sys.consoleDropped();
            assertThat(dropped).as("lines the console dropped").isPositive();
            CompletableFuture<String> all = CompletableFuture.supplyAsync(() -> {
                try (in) {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    byte[] chunk = new byte[8192];
                    for (int r; (r = in.read(chunk)) > 0; ) { // a FIFO: no readAllBytes (it seeks)
                        got.write(chunk, 0, r);
                    }
                    return got.toString(StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            sys.close(); // the console writes what is queued, then closes the FIFO: the reader's end of file
            shown = all.get(60, TimeUnit.SECONDS);
        }
        List<String> lines = shown.lines().toList();
        assertThat(lines.stream().filter(l -> l.contains(" INFO kernel TICK "))).hasSize((int) (n - dropped));
        // one notice after each run of drops, when the queue had room again: together they count every line
        List<String> notices = lines.stream().filter(l -> l.contains("RAYOS_LOG_DROPPED")).toList();
        assertThat(notices).isNotEmpty().allSatisfy(l -> assertThat(l).matches(".* WARN log RAYOS_LOG_DROPPED sink=serial count=[1-9][0-9]*"));
        assertThat(notices.stream().mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf('=') + 1))).sum())
                .isEqualTo(dropped);
        assertThat(Files.readAllLines(layout.logFile("boot", boot))).as("the files have every line").hasSize(n);
    }

    @Test
    void aMarkerTheBootHistoryCannotTakeIsReportedOnTheStatusChannelOnceAndKept() throws Exception {
        BootId boot = BootId.random();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<StatusChannel.Entry> kept;
        try (LogSystem sys = LogSystem.builder(new RootLayout(root)).boot(boot).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).statusTo(new PrintStream(err, true, StandardCharsets.UTF_8))
                .onMarker((b, m, mono, utc) -> {
                    throw new IOException("history is read-only");
                }).open()) {
            sys.logger("kernel").info(Marker.READY).log();
            sys.logger("kernel").info(Marker.READY).log();
            kept = sys.status().recent();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("rayos-log: cannot record marker RAYOS_READY in the"
                + " boot history: java.io.IOException: history is read-only\n");
        assertThat(kept).hasSize(2).allSatisfy(e -> assertThat(e.kind()).isEqualTo("marker-history"));
    }

    @Test
    void aLogSystemWithoutTheWallClockKeepsItsTroublesForRayosStatusInMonoTime() throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).wallClockKnown(false).statusTo(new PrintStream(err, true, StandardCharsets.UTF_8))
                .onMarker((b, m, mono, utc) -> {
                    throw new IOException("history is read-only");
                }).open()) {
            sys.logger("kernel").info(Marker.READY).log();
        }
        assertThat(dev.rayos.log.status.StatusFile.readAll(layout, boot).reports()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("marker-history");
            assertThat(r.ts().mono()).isTrue();
        });
    }

    @Test
    void aRingKeptOutsideTheRingDirectoryIsWrittenOutByTheNextStartWithTheSamePath() throws Exception {
        BootId dead = BootId.random();
        RootLayout layout = new RootLayout(root);
        Path ring = root.resolve("run/early/kernel.ring");
        try (LogSystem gone = LogSystem.builder(layout).ring(ring).boot(dead).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).mounted(false).open()) {
            gone.logger("kernel").info("LAST_WORDS").kv("i", 1).log();
        }
        assertThat(ring).as("an early-boot process leaves its ring").exists();
        BootId next = BootId.random();
        try (LogSystem sys = LogSystem.builder(layout).ring(ring).boot(next).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).open()) {
            assertThat(sys.recovered()).singleElement().satisfies(o -> assertThat(o.boot()).isEqualTo(dead));
        }
        assertThat(Files.readAllLines(layout.logFile("boot", dead))).singleElement().asString()
                .endsWith(" INFO kernel LAST_WORDS i=1");
        assertThat(Files.readAllLines(layout.logFile("boot", next))).singleElement().asString()
                .contains(" INFO log RAYOS_LOG_RECOVERED ring=kernel.ring boot=" + dead.hex() + " lines=1 ");
    }

    @Test
    void anOrphanedRingThatCannotBeWrittenOutYetIsReportedOnceAndKeptForTheNextStart() throws Exception {
        BootId dead = BootId.random();
        RootLayout layout = new RootLayout(root);
        Path ring = layout.ringDir().resolve("early.ring");
        try (LogSystem gone = LogSystem.builder(layout).ring(ring).boot(dead).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).mounted(false).open()) {
            gone.logger("kernel").info("LAST_WORDS").log();
        }
        Files.createDirectories(layout.logsDir());
        Files.writeString(layout.categoryDir("boot"), "a file where the directory goes\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LogSystem sys = LogSystem.builder(layout).boot(BootId.random()).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).statusTo(new PrintStream(err, true, StandardCharsets.UTF_8)).open()) {
            assertThat(sys.recovered()).isEmpty();
            assertThat(sys.status().recent()).first().satisfies(e -> {
                assertThat(e.kind()).isEqualTo("recovery");
                assertThat(e.message()).isEqualTo("lines of an earlier process held in run/rayos/ring cannot be"
                        + " written out yet (" + layout.categoryDir("boot") + ": exists and is not a directory);"
                        + " they stay there for the next start");
            });
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("rayos-log: lines of an earlier process held in"
                + " run/rayos/ring cannot be written out yet (");
        assertThat(ring).as("kept for the next start").exists();

        Files.delete(layout.categoryDir("boot"));
        try (LogSystem sys = LogSystem.builder(layout).boot(BootId.random()).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).open()) {
            assertThat(sys.recovered()).singleElement().satisfies(o -> assertThat(o.written()).isEqualTo(1));
        }
        assertThat(Files.readAllLines(layout.logFile("boot", dead))).singleElement().asString()
                .endsWith(" INFO kernel LAST_WORDS");
    }
}
