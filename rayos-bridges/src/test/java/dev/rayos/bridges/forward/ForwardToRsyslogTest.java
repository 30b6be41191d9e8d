package dev.rayos.bridges.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.bridges.rsyslog.Rsyslog;
import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RemovedFiles;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarder against a real rsyslogd (imtcp → omfile) that each test starts on 127.0.0.1. */
class ForwardToRsyslogTest {
    private static final Pattern N = Pattern.compile(" app LINE n=(\\d+) ");
    private static final String POLICY = "retention.max_file_size = 128KiB\nretention.max_files = 1000\n";

    @TempDir
    Path tmp;
    RootLayout layout;
    Rsyslog rsyslog;
    URI target;

    @BeforeEach
    void setUp() throws Exception {
        Rsyslog.assumeInstalled();
        layout = new RootLayout(tmp.resolve("root"));
        int port = Rsyslog.freePort();
        rsyslog = new Rsyslog(tmp.resolve("rsyslog"), port);
        target = URI.create("tcp://127.0.0.1:" + port);
    }

    /** Each test's rsyslogd goes with the test (a child process outlives the JVM otherwise). */
    @AfterEach
    void stopCollector() throws Exception {
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    private final BootId boot = BootId.random();

    private LogSystem open() throws Exception {
        return open(POLICY);
    }

    private LogSystem open(String policy) throws Exception {
        return open(boot, policy);
    }

    private LogSystem open(BootId id, String policy) throws Exception {
        return LogSystem.builder(layout).boot(id).policy(Policy.parse(policy)).console(new ByteArrayOutputStream()).open();
    }

    private static void write(LogSystem sys, int from, int to) {
        for (int i = from; i < to; i++) {
            sys.logger("app").info("LINE").kv("n", i).kv("msg", "line " + i + " \"quoted\" ünïcödé " + "x".repeat(i % 50)).log();
        }
    }

    /** Every stored line of the machine (any order). */
    private Set<String> stored() throws IOException {
        Set<String> out = new HashSet<>();
        if (!Files.isDirectory(layout.logsDir())) {
            return out; // nothing written yet
        }
        try (Stream<Path> s = Files.walk(layout.logsDir())) {
            for (Path f : s.filter(p -> p.toString().endsWith(".log")).toList()) {
                String text;
                try {
                    text = Files.readString(f, StandardCharsets.UTF_8);
                } catch (java.nio.file.NoSuchFileException rotated) {
                    return stored(); // renamed by a rotation since the listing: list again
                }
                for (String l : text.split("\n")) {
                    if (!l.isEmpty()) {
                        out.add(l);
                    }
                }
            }
        }
        return out;
    }

    private static boolean hasAll(List<Rsyslog.Received> r, int n) {
        Set<Integer> seen = new HashSet<>();
        for (Rsyslog.Received x : r) {
            Matcher m = N.matcher(x.line());
            if (m.find()) {
                seen.add(Integer.parseInt(m.group(1)));
            }
        }
        return seen.size() >= n;
    }

    /** {@link Rsyslog#duplicatesOfEveryLineInOrder}, and every message is a stored line, byte for byte. */
    private int checkAtLeastOnceInOrder(List<Rsyslog.Received> r, int n) throws IOException {
        Set<String> stored = stored();
        for (Rsyslog.Received x : r) {
            assertThat(stored).as("every message is a stored line, byte for byte").contains(x.line());
        }
        return Rsyslog.duplicatesOfEveryLineInOrder(r, N, n);
    }

    @Test
    void everyLineArrivesExactlyOnceAndInOrderAcrossRotatedFiles() throws Exception {
        rsyslog.start();
        try (LogSystem sys = open()) {
            write(sys, 0, 6000);
        }
        assertThat(Files.list(layout.categoryDir("boot")).count()).as("the lines span rotated files").isGreaterThan(4);
        try (Forwarder f = new Forwarder(layout, ForwardConfig.of(target, null, "test"), null)) {
            Forwarder.Sent s = f.once();
            assertThat(s.lines()).isEqualTo(stored().size());
            assertThat(f.once().lines()).as("a second pass has nothing new").isZero();
        }
        List<Rsyslog.Received> r = rsyslog.await(x -> hasAll(x, 6000), "6000 lines");
        assertThat(checkAtLeastOnceInOrder(r, 6000)).as("duplicates").isZero();
        assertThat(r).hasSize(stored().size());
        assertThat(r.get(0).category()).isEqualTo("boot");
        rsyslog.close();
    }

    @Test
    void aCollectorKilledAndRestartedMidStreamMissesNothingAndDuplicatesKeepTheirSequence() throws Exception {
        rsyslog.start();
        try (LogSystem sys = open(); ForwardLoop fwd = ForwardLoop.start(layout, ForwardConfig.of(target, null, "test"),
                sys.logger("forward"), "forward", 20)) {
            write(sys, 0, 3000);
            rsyslog.await(x -> x.size() >= 1000, "the first 1000 lines");
            rsyslog.kill();
            write(sys, 3000, 4000);
            rsyslog.start();
            write(sys, 4000, 8000);
            List<Rsyslog.Received> r = rsyslog.await(x -> hasAll(x, 8000), "8000 lines");
            int dups = checkAtLeastOnceInOrder(r, 8000);
            System.out.println("collector restart: " + r.size() + " received, " + dups + " duplicates, " + rsyslog.torn
                    + " torn by the kill");
            assertThat(rsyslog.torn).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aForwarderSigkilledMidStreamResumesFromItsCursorAndDuplicatesAreMarked() throws Exception {
        rsyslog.start();
        try (LogSystem sys = open()) {
            write(sys, 0, 2000);
            Process child = child();
            rsyslog.await(x -> x.size() >= 500, "the first 500 lines");
            write(sys, 2000, 4000);
            child.destroyForcibly(); // SIGKILL
            child.waitFor(60, TimeUnit.SECONDS);
            write(sys, 4000, 6000);
            Process again = child();
            List<Rsyslog.Received> r = rsyslog.await(x -> hasAll(x, 6000), "6000 lines");
            int dups = checkAtLeastOnceInOrder(r, 6000);
            System.out.println("forwarder SIGKILL: " + r.size() + " received, " + dups + " duplicates");
            again.destroyForcibly();
            again.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRefusedConnectionIsRetriedUntilTheCollectorListensAndNothingIsSentTwice() throws Exception {
        try (LogSystem sys = open(); ForwardLoop fwd = ForwardLoop.start(layout, ForwardConfig.of(target, null, "test"),
                sys.logger("forward"), "forward", 20)) {
            write(sys, 0, 2000); // while the collector refuses
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (stored().stream().noneMatch(l -> l.contains(" forward FORWARD_DOWN ")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(stored()).anyMatch(l -> l.contains(" forward FORWARD_DOWN ") && l.contains("refused"));
            write(sys, 2000, 3000);
            rsyslog.start();
            List<Rsyslog.Received> r = rsyslog.await(x -> hasAll(x, 3000), "3000 lines");
            assertThat(checkAtLeastOnceInOrder(r, 3000)).as("duplicates").isZero();
        }
        assertThat(stored()).anyMatch(l -> l.contains(" forward FORWARD_UP "));
    }

    @Test
    void aDamagedCursorIsATypedErrorNamingTheFileAndNothingIsSent() throws Exception {
        rsyslog.start();
        try (LogSystem sys = open()) {
            write(sys, 0, 10);
        }
        Files.createDirectories(layout.forwardDir());
        Files.writeString(layout.forwardDir().resolve("boot.cursor"), "rayos-forward-cursor/1 stream=00");
        try (Forwarder f = new Forwarder(layout, ForwardConfig.of(target, null, "test"), null)) {
            assertThatThrownBy(f::once).isInstanceOf(CursorException.class)
                    .hasMessageContaining("var/rayos/forward/boot.cursor is damaged (no line feed at the end (torn))")
                    .hasMessageContaining("remove it");
        }
        assertThat(rsyslog.received()).isEmpty();
    }

    @Test
    void linesRemovedByRetentionBeforeTheyWereSentAreCountedExactlyAcrossBootsAndTheRestArrives() throws Exception {
        String keepThree = "retention.max_file_size = 128KiB\nretention.max_files = 3\n";
        rsyslog.start();
        Boots boots = new Boots(layout, LogClock.system());
        BootId first = boots.start(BootMode.NORMAL, true).id();
        try (LogSystem sys = open(first, keepThree)) {
            write(sys, 0, 500);
        }
        ForwardConfig config = ForwardConfig.of(target, null, "test");
        try (Forwarder f = new Forwarder(layout, config, null)) {
            assertThat(f.once().lines()).isEqualTo(500);
        }
        try (LogSystem sys = open(first, keepThree)) {
            write(sys, 500, 3000); // the first boot's file rotates: its parts follow the one the cursor is in
        }
        BootId second = boots.start(BootMode.NORMAL, true).id();
        try (LogSystem sys = open(second, keepThree)) {
            write(sys, 3000, 12000); // about eight files of 128 KiB: the first boot's all go, and the second's first ones
        }
        assertThat(stored()).as("only the test's lines are stored").allMatch(l -> N.matcher(l).find());
        assertThat(Files.list(layout.categoryDir("boot")).map(p -> p.getFileName().toString()))
                .as("the first boot's files are all gone").noneMatch(n -> n.startsWith(first.hex()));
        String firstLeft = Files.list(layout.categoryDir("boot")).map(p -> p.getFileName().toString())
                .filter(n -> n.split("\\.").length == 3).min(java.util.Comparator.comparingInt(n -> Integer.parseInt(n.split("\\.")[1])))
                .orElseThrow();
        int firstLeftN = n(Files.readString(layout.categoryDir("boot").resolve(firstLeft)).split("\n")[0]);
        Forwarder.Sent s;
        try (LogSystem sys = open(second, keepThree); Forwarder f = new Forwarder(layout, config, sys.logger("forward"))) {
            s = f.once();
        }
        System.out.println("retention: " + s + ", first file left " + firstLeft + " starting at n=" + firstLeftN);
        assertThat(s.unrecordedFiles()).isZero();
        assertThat(s.lostLines()).as("lines 500.." + (firstLeftN - 1) + " were removed unsent").isEqualTo(firstLeftN - 500);
        assertThat(stored()).anyMatch(l -> l.contains(" WARN forward RAYOS_FORWARD_LOST category=boot lines=" + (firstLeftN - 500)
                + " files=" + s.lostFiles() + " unrecorded_files=0 after_seq=500 boot=" + first.hex() + " "));
        List<Rsyslog.Received> r = rsyslog.await(x -> hasAll(x, 12000 - (firstLeftN - 500)), "every line left");
        Set<Integer> got = new HashSet<>();
        for (Rsyslog.Received x : r) {
            Matcher m = N.matcher(x.line());
            if (m.find()) {
                assertThat(got.add(Integer.parseInt(m.group(1)))).as("once: " + x.line()).isTrue();
            }
        }
        assertThat(got.size() + s.lostLines()).as("every line arrived or was counted lost").isEqualTo(12000);
        assertThat(r.get(500).line()).as("forwarding goes on at the first file left").contains(" n=" + firstLeftN + " ");
        assertThat(r.get(500).seq()).as("and numbers on").isEqualTo(501);
        assertThat(RemovedFiles.read(layout, "boot").entries()).as("each removal was recorded")
                .hasSize((int) s.lostFiles()).allMatch(e -> e.lines() > 0);
    }

    private static int n(String line) {
        Matcher m = N.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private Process child() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ForwarderChild.class.getName(), layout.root().toString(), target.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child-" + System.nanoTime() + ".out").toFile()).start();
        return p;
    }
}
