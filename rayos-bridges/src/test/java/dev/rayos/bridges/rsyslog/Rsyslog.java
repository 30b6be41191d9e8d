package dev.rayos.bridges.rsyslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real rsyslogd on 127.0.0.1 for one test: its own config (imtcp on a free port → omfile with
 * the raw message), pid file and work directory under the test's directory; never the system's.
 */
public final class Rsyslog implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/rsyslogd");
    /** One forwarded message as the collector wrote it: the header's sequence data and the RayOS line. */
    public record Received(String stream, long seq, String category, String boot, String line) {}

    /** Where a message starts: a crashed collector can leave a torn one with the next glued to it. */
    private static final Pattern HEADER = Pattern.compile("<\\d{1,3}>1 \\S+ \\S+ \\S+ - \\S+ \\[rayos@32473 ");
    private static final Pattern RAW = Pattern.compile(
            "<\\d+>1 \\S+ \\S+ \\S+ - \\S+ \\[rayos@32473 stream=\"([0-9a-f]{16})\" seq=\"(\\d+)\" cat=\"([^\"]+)\" "
                    + "boot=\"([0-9a-f]{32})\"\\] (.*)");
    final Path dir;
    public final int port;
    final Path out;
    private Process process;
    private int starts;

    public Rsyslog(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.out = dir.resolve("received.log");
    }

    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY), "rsyslogd is not installed (.ci/install-bridges.sh installs it): skipped");
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String tls = "";

    /** Makes the listener TLS (rsyslog's GnuTLS driver) with this CA, certificate and key, from the next start. */
    public Rsyslog tls(Path ca, Path cert, Path key) {
        tls = "global(DefaultNetstreamDriver=\"gtls\" DefaultNetstreamDriverCAFile=\"" + ca
                + "\" DefaultNetstreamDriverCertFile=\"" + cert + "\" DefaultNetstreamDriverKeyFile=\"" + key + "\")";
        return this;
    }

    /** Starts rsyslogd and waits until it accepts connections. */
    public Rsyslog start() throws Exception {
        Files.createDirectories(dir.resolve("work"));
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, String.join("\n",
                "global(workDirectory=\"" + dir.resolve("work") + "\" maxMessageSize=\"256k\")",
                tls,
                tls.isEmpty() ? "module(load=\"imtcp\")"
                        : "module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" StreamDriver.AuthMode=\"anon\")",
                "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")",
                "input(type=\"imtcp\" port=\"" + port + "\" address=\"127.0.0.1\")",
                "action(type=\"omfile\" file=\"" + out + "\" template=\"raw\")", ""));
        Path pid = dir.resolve("rsyslogd.pid");
        Files.deleteIfExists(pid);
        process = new ProcessBuilder(BINARY.toString(), "-n", "-f", conf.toString(), "-i", pid.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd-" + (++starts) + ".out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rsyslogd exited " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("rsyslogd-" + starts + ".out")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return this;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rsyslogd does not listen on " + port + " after 60 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /** SIGKILL: what it had queued and not written is lost, as when a collector crashes. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** Messages torn by a collector's crash (counted by the last {@link #received()}). */
    public int torn;

    /** Every forwarded message written so far (a torn last line is left for later). */
    public List<Received> received() throws IOException {
        torn = 0;
        List<Received> r = new ArrayList<>();
        if (!Files.exists(out)) {
            return r;
        }
        String all = Files.readString(out, StandardCharsets.UTF_8);
        int end = all.lastIndexOf('\n');
        if (end < 0) {
            return r;
        }
        for (String fileLine : all.substring(0, end).split("\n", -1)) {
            Matcher h = HEADER.matcher(fileLine);
            int last = -1;
            int pieces = 0;
            while (h.find()) {
                last = h.start();
                pieces++;
            }
            if (last < 0) {
                throw new AssertionError("the collector wrote a line holding no forwarded message: " + fileLine);
            }
            torn += pieces - 1 + (HEADER.matcher(fileLine).lookingAt() ? 0 : 1);
            String l = fileLine.substring(last);
            Matcher m = RAW.matcher(l);
            if (!m.matches()) {
                throw new AssertionError("the collector wrote a message that is not a forwarded line: " + l);
            }
            r.add(new Received(m.group(1), Long.parseLong(m.group(2)), m.group(3), m.group(4), m.group(5)));
        }
        return r;
    }

    /**
     * Checks what a collector holds against the forwarding guarantees ({@code docs/bridges.md}): the
     * lines numbered by {@code n} (group 1) are all there, 0 to {@code count - 1}, each first seen in
     * order; a line received twice carries the same sequence number and text both times; sequence
     * numbers have no gap; one stream. Returns the number of duplicates.
     */
    public static int duplicatesOfEveryLineInOrder(List<Received> r, Pattern n, int count) {
        java.util.Map<Long, String> bySeq = new java.util.HashMap<>();
        int next = 0;
        int dups = 0;
        for (Received x : r) {
            String before = bySeq.putIfAbsent(x.seq(), x.line());
            if (before != null) {
                assertThat(x.line()).as("a line sent again carries its sequence number " + x.seq()).isEqualTo(before);
                dups++;
                continue;
            }
            Matcher m = n.matcher(x.line());
            if (m.find()) {
                assertThat(Integer.parseInt(m.group(1))).as("lines arrive in order").isEqualTo(next);
                next++;
            }
        }
        assertThat(next).as("every line arrived").isEqualTo(count);
        long max = bySeq.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        assertThat(bySeq).as("no sequence number is missing").hasSize((int) max);
        assertThat(r.stream().map(Received::stream).distinct()).as("one stream").hasSize(1);
        return dups;
    }

    /** Waits (up to 120 s) until {@code done} holds for what was received. */
    public List<Received> await(java.util.function.Predicate<List<Received>> done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            List<Received> r = received();
            if (done.test(r)) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after 120 s the collector still lacks " + what + " (" + r.size() + " received)");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
