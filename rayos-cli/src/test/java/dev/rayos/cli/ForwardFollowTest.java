package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.bridges.rsyslog.Rsyslog;
import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rayos forward} in its continuous mode, end to end: the real command in child JVMs, lines
 * logged by another process while it runs, a real rsyslogd that is killed and restarted, the
 * forwarder stopped with SIGTERM and killed with SIGKILL and started again.
 */
class ForwardFollowTest {
    private static final Pattern N = Pattern.compile(" app LINE n=(\\d+) ");
    private static final int LINES = 20_000;

    @TempDir
    Path tmp;
    Path root;
    Rsyslog rsyslog;
    final List<Process> forwarders = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Rsyslog.assumeInstalled();
        root = Files.createDirectories(tmp.resolve("root"));
        rsyslog = new Rsyslog(tmp.resolve("rsyslog"), Rsyslog.freePort());
        Files.createDirectories(root.resolve("etc/rayos"));
        Files.writeString(root.resolve("etc/rayos/policy.conf"), "forward.target = tcp://127.0.0.1:" + rsyslog.port + "\n"
                + "retention.max_file_size = 128KiB\nretention.max_files = 1000\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : forwarders) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        rsyslog.close();
    }

    private Process forwarder() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--root", root.toString(), "forward")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("forward-" + forwarders.size() + ".out").toFile()).start();
        forwarders.add(p);
        return p;
    }

    private static int appLines(List<Rsyslog.Received> r) {
        Set<Integer> seen = new HashSet<>();
        for (Rsyslog.Received x : r) {
            Matcher m = N.matcher(x.line());
            if (m.find()) {
                seen.add(Integer.parseInt(m.group(1)));
            }
        }
        return seen.size();
    }

    private String status() {
        Cli.Result r = Cli.onRoot(root, "forward", "--status");
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    private String logged() throws Exception {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.walk(root.resolve("var/rayos/logs"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                try {
                    b.append(Files.readString(f));
                } catch (java.nio.file.NoSuchFileException rotated) {
                    return logged(); // renamed by a rotation since the listing (the writer runs): list again
                }
            }
        }
        return b.toString();
    }

    @Test
    void everyLineLoggedWhileItRunsArrivesThroughCollectorRestartSigtermAndSigkillWithEveryDuplicateMarked() throws Exception {
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        RootLayout layout = new RootLayout(root);
        BootId boot = new Boots(layout, LogClock.system()).current().orElseThrow();
        rsyslog.start();
        assertThat(status()).startsWith("forwarder: not running on this boot\n");

        AtomicInteger written = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            // another process logging while the forwarder runs, about 700 lines/s, across rotations
            try (LogSystem sys = LogSystem.builder(layout).boot(boot).console(OutputStream.nullOutputStream()).open()) {
                for (int n = 0; n < LINES; n++) {
                    sys.logger("app").info("LINE").kv("n", n).kv("msg", "line " + n + " \"q\" ünï " + "x".repeat(n % 60)).log();
                    written.set(n + 1);
                    if (n % 70 == 69) {
                        Thread.sleep(100);
                    }
                }
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "writer");
        writer.start();

        Process first = forwarder();
        rsyslog.await(r -> appLines(r) >= 2000, "2000 lines from the first forwarder");
        assertThat(status()).containsPattern("forwarder: running in rayos forward \\(pid " + first.pid() + "\\), tcp://127\\.0\\.0\\.1:"
                + rsyslog.port + " up since \\S+Z\n").contains("\nboot ");
        first.destroy(); // SIGTERM: a last pass, the cursor after the last batch, FORWARD_STOP
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(status()).contains("forwarder: not running: rayos forward (pid " + first.pid() + ") stopped forwarding to tcp://");
        assertThat(logged()).contains(" NOTICE forward FORWARD_STOP lines=");

        forwarder();
        int beforeKill = appLines(rsyslog.await(r -> appLines(r) >= 6000, "6000 lines from the second forwarder"));
        List<Rsyslog.Received> clean = rsyslog.received();
        assertThat(clean.stream().map(Rsyslog.Received::seq).distinct().count()).as("a SIGTERM and a start send nothing twice")
                .isEqualTo(clean.size());

        rsyslog.kill(); // the collector dies with what it had not written
        int atCollectorKill = rsyslog.received().size();
        Thread.sleep(500); // lines are logged meanwhile; the forwarder finds the collector gone
        rsyslog.start();
        rsyslog.await(r -> appLines(r) >= beforeKill + 3000, "3000 more lines after the collector's restart");

        Process third = forwarders.get(forwarders.size() - 1);
        third.destroyForcibly(); // SIGKILL: between a send and its cursor write, perhaps
        assertThat(third.waitFor(60, TimeUnit.SECONDS)).isTrue();
        int atForwarderKill = rsyslog.received().size();
        Process last = forwarder();

        writer.join(TimeUnit.MINUTES.toMillis(5));
        assertThat(failed.get()).isNull();
        assertThat(written.get()).isEqualTo(LINES);
        List<Rsyslog.Received> r = rsyslog.await(x -> appLines(x) >= LINES, LINES + " lines");
        last.destroy();
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();

        int dups = Rsyslog.duplicatesOfEveryLineInOrder(r, N, LINES);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < r.size(); i++) {
            if (!seen.add(r.get(i).seq())) {
                assertThat(i).as("a duplicate only after the collector's kill (message " + i + ")").isGreaterThanOrEqualTo(atCollectorKill);
            }
        }
        System.out.println("continuous: " + r.size() + " received, " + dups + " duplicates (marked by seq); "
                + atCollectorKill + " received before the collector's SIGKILL, " + atForwarderKill
                + " before the forwarder's; " + rsyslog.torn + " torn by the collector's kill");
        assertThat(rsyslog.torn).isLessThanOrEqualTo(1);
        assertThat(logged()).contains(" WARN forward FORWARD_DOWN target=tcp://127.0.0.1:" + rsyslog.port)
                .contains(" NOTICE forward FORWARD_UP ");
    }

    @Test
    void aSecondForwarderOnTheMachineIsRefusedNamingTheOneThatRuns() throws Exception {
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        Process running = forwarder(); // the collector is not started: it runs, down, retrying
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!status().contains(" down since ") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(status()).contains("forwarder: running in rayos forward (pid " + running.pid() + "), tcp://127.0.0.1:"
                + rsyslog.port + " down since ");
        Cli.Result r = Cli.onRoot(root, "forward", "--once");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("rayos: another forwarder is running on this machine: running in rayos forward (pid "
                + running.pid() + "), tcp://127.0.0.1:" + rsyslog.port + " down since "
                + r.err().replaceAll("(?s).* down since (\\S+Z); stop it first\n", "$1") + "; stop it first\n");
        running.destroy();
        assertThat(running.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(logged()).contains(" WARN forward FORWARD_DOWN ").contains(" NOTICE forward FORWARD_STOP lines=0 ");
    }
}
