package dev.rayos.bridges.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

    private final BootId boot = BootId.random();

    private LogSystem open() throws Exception {
        return open(POLICY);
    }

    private LogSystem open(String policy) throws Exception {
        return LogSystem.builder(layout).boot(boot).policy(Policy.parse(policy)).console(new ByteArrayOutputStream()).open();
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
                for (String l : Files.readString(f, StandardCharsets.UTF_8).split("\n")) {
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

    /**
     * What the collector holds is every line, each first seen in order; any line received twice
     * carries the same sequence number and text both times; sequence numbers have no gap. Returns
     * the number of duplicates.
     */
    private int checkAtLeastOnceInOrder(List<Rsyslog.Received> r, int n) throws IOException {
        Set<String> stored = stored();
        Map<Long, String> bySeq = new HashMap<>();
        int next = 0;
        int dups = 0;
        for (Rsyslog.Received x : r) {
            assertThat(stored).as("every message is a stored line, byte for byte").contains(x.line());
            String before = bySeq.putIfAbsent(x.seq(), x.line());
            if (before != null) {
                assertThat(x.line()).as("a line sent again carries its sequence number " + x.seq()).isEqualTo(before);
                dups++;
                continue;
            }
            Matcher m = N.matcher(x.line());
            if (m.find()) {
                assertThat(Integer.parseInt(m.group(1))).as("lines arrive in order").isEqualTo(next);
                next++;
            }
        }
        assertThat(next).isEqualTo(n);
        long max = bySeq.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        assertThat(bySeq).as("no sequence number is missing").hasSize((int) max);
        assertThat(r.stream().map(Rsyslog.Received::stream).distinct()).hasSize(1);
        return dups;
    }

    @Test
    void everyLineArrivesExactlyOnceAndInOrderAcrossRotatedFiles() throws Exception {
        rsyslog.start();
        try (LogSystem sys = open()) {
            write(sys, 0, 6000);
        }
        assertThat(Files.list(layout.categoryDir("boot")).count()).as("the lines span rotated files").isGreaterThan(4);
        try (Forwarder f = new Forwarder(layout, Forwarder.Config.of(target, null, "test"), null)) {
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
        AtomicBoolean stop = new AtomicBoolean();
        try (LogSystem sys = open(); Forwarder f = new Forwarder(layout, Forwarder.Config.of(target, null, "test"),
                sys.logger("forward"))) {
            Thread fwd = new Thread(() -> {
                try {
                    f.run(stop::get, 20);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            fwd.start();
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
            stop.set(true);
            fwd.join(60_000);
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
        AtomicBoolean stop = new AtomicBoolean();
        try (LogSystem sys = open(); Forwarder f = new Forwarder(layout, Forwarder.Config.of(target, null, "test"),
                sys.logger("forward"))) {
            write(sys, 0, 2000);
            Thread fwd = new Thread(() -> {
                try {
                    f.run(stop::get, 20);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            fwd.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (stored().stream().noneMatch(l -> l.contains(" forward FORWARD_DOWN ")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(stored()).anyMatch(l -> l.contains(" forward FORWARD_DOWN ") && l.contains("refused"));
            write(sys, 2000, 3000);
            rsyslog.start();
            List<Rsyslog.Received> r = rsyslog.await(x -> hasAll(x, 3000), "3000 lines");
            assertThat(checkAtLeastOnceInOrder(r, 3000)).as("duplicates").isZero();
            stop.set(true);
            fwd.join(60_000);
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
        try (Forwarder f = new Forwarder(layout, Forwarder.Config.of(target, null, "test"), null)) {
            assertThatThrownBy(f::once).isInstanceOf(CursorException.class)
                    .hasMessageContaining("var/rayos/forward/boot.cursor is damaged (no line feed at the end (torn))")
                    .hasMessageContaining("remove it");
        }
        assertThat(rsyslog.received()).isEmpty();
    }

    @Test
    void linesRemovedByRetentionBeforeTheyWereSentAreReportedLostWithTheNumberOfFiles() throws Exception {
        String keepThree = "retention.max_file_size = 128KiB\nretention.max_files = 3\n";
        rsyslog.start();
        try (LogSystem sys = open(keepThree)) {
            write(sys, 0, 500);
        }
        Forwarder.Config config = Forwarder.Config.of(target, null, "test");
        try (Forwarder f = new Forwarder(layout, config, null)) {
            assertThat(f.once().lines()).isEqualTo(500);
        }
        try (LogSystem sys = open(keepThree)) {
            write(sys, 500, 9000); // about ten files of 128 KiB: all but the newest three are removed
        }
        int firstLeft = Files.list(layout.categoryDir("boot")).map(p -> p.getFileName().toString().split("\\."))
                .filter(n -> n.length == 3).mapToInt(n -> Integer.parseInt(n[1])).min().orElseThrow();
        assertThat(firstLeft).isGreaterThan(2);
        String firstLine = Files.readString(layout.categoryDir("boot").resolve(boot.hex() + "." + firstLeft + ".log"))
                .split("\n")[0];
        Forwarder.Sent s;
        try (LogSystem sys = open(keepThree); Forwarder f = new Forwarder(layout, config, sys.logger("forward"))) {
            s = f.once();
        }
        assertThat(s.lostFiles()).as("parts 1.." + (firstLeft - 1) + " were removed unsent").isEqualTo(firstLeft - 1);
        assertThat(stored()).anyMatch(l -> l.contains(" WARN forward RAYOS_FORWARD_LOST category=boot files=" + (firstLeft - 1)
                + " after_seq=500 "));
        List<Rsyslog.Received> r = rsyslog.await(x -> x.size() >= 500 + s.lines(), (500 + s.lines()) + " lines");
        assertThat(r).hasSize((int) (500 + s.lines()));
        assertThat(r.get(500).line()).as("forwarding goes on at the first file left").isEqualTo(firstLine);
        assertThat(r.get(500).seq()).as("and numbers on").isEqualTo(501);
    }

    private Process child() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ForwarderChild.class.getName(), layout.root().toString(), target.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child-" + System.nanoTime() + ".out").toFile()).start();
        return p;
    }
}
