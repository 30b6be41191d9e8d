package dev.rayos.bridges.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** util-linux logger(1) writing to the listener's socket, as shell scripts do. */
class LoggerToSocketTest {
    @TempDir
    Path root;

    @BeforeAll
    static void needsLogger() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/logger")),
                "util-linux logger is not installed (.ci/install-bridges.sh installs it)");
    }

    static int logger(Path sock, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("logger", "-u", sock.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
        } catch (IOException exitedEarly) {
            // logger found no socket and exited before reading its input: its exit code says so
        }
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void loggerMessagesInEveryFormatAndFramingBecomeOneLineEach() throws Exception {
        List<String> lines;
        try (Machine m = new Machine(root, "")) {
            try (SyslogListener l = m.listen()) {
                Path sock = m.layout.syslogSocket();
                assertThat(logger(sock, null, "-t", "backup", "-p", "daemon.warning", "disk nearly full")).isZero();
                assertThat(logger(sock, null, "--rfc5424", "-t", "backup", "--msgid", "DONE", "--sd-id", "job@32473",
                        "--sd-param", "files=\"12\"", "all good")).isZero();
                assertThat(logger(sock, null, "--rfc5424", "--octet-count", "-t", "backup", "counted")).isZero();
                assertThat(logger(sock, "first\nsecond\n", "-T", "-t", "backup", "-i")).isZero();
            }
            m.close();
            lines = m.linesOf("backup");
        }
        // each logger's messages in order; separate loggers are separate connections, so their
        // lines are in the order the listener's threads logged them
        assertThat(lines).hasSize(5);
        assertThat(lines).filteredOn(l -> l.endsWith(" msg=\"disk nearly full\"")).singleElement()
                .asString().startsWith("WARN backup SYSLOG facility=daemon sent=");
        assertThat(lines).filteredOn(l -> l.endsWith(" msg=\"all good\"")).singleElement()
                .asString().startsWith("NOTICE backup DONE facility=user host=").contains(" job_32473.files=12 ");
        assertThat(lines).filteredOn(l -> l.endsWith(" msg=counted")).singleElement()
                .asString().startsWith("NOTICE backup SYSLOG facility=user host=");
        List<String> piped = lines.stream().filter(l -> l.contains(" pid=")).toList();
        assertThat(piped).hasSize(2);
        assertThat(piped.get(0)).endsWith(" msg=first");
        assertThat(piped.get(1)).endsWith(" msg=second");
    }

    @Test
    void manyConcurrentLoggersAndRawWritersLoseNothingAndMixNothing() throws Exception {
        int procs = 16;
        int perProc = 50;
        int threads = 8;
        int perThread = 500;
        List<String> lines;
        try (Machine m = new Machine(root, "")) {
            try (SyslogListener l = m.listen()) {
                Path sock = m.layout.syslogSocket();
                ExecutorService pool = Executors.newFixedThreadPool(procs + threads);
                List<Future<?>> fs = new ArrayList<>();
                for (int p = 0; p < procs; p++) {
                    int id = p;
                    fs.add(pool.submit(() -> {
                        StringBuilder in = new StringBuilder();
                        for (int i = 0; i < perProc; i++) {
                            in.append("proc=").append(id).append(" n=").append(i).append('\n');
                        }
                        assertThat(logger(sock, in.toString(), "-t", "shell")).isZero();
                        return null;
                    }));
                }
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    fs.add(pool.submit(() -> {
                        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                            for (int i = 0; i < perThread; i++) {
                                String body = "<14>1 - - raw - - - thread=" + id + " n=" + i;
                                // alternate the two framings on one connection
                                String frame = i % 2 == 0 ? body + "\n" : body.length() + " " + body;
                                write(c, frame);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get(120, TimeUnit.SECONDS);
                }
                pool.shutdown();
            }
            m.close();
            lines = m.lines();
        }
        Map<String, Integer> seen = new HashMap<>();
        for (String l : lines) {
            LogLine parsed = LineCodec.parse(l); // every line is a whole grammatical line
            String c = parsed.component();
            if (c.equals("shell") || c.equals("raw")) {
                seen.merge(parsed.get("msg"), 1, Integer::sum);
            }
        }
        assertThat(seen).hasSize(procs * perProc + threads * perThread);
        assertThat(seen.values()).allMatch(n -> n == 1);
        for (int p = 0; p < procs; p++) {
            assertThat(seen).containsKey("proc=" + p + " n=" + (perProc - 1));
        }
    }

    @Test
    void hostileClientsOnTheRealSocketNeitherForgeALineNorStopTheListener() throws Exception {
        byte[] big = new byte[200 * 1024]; // over the 64 KiB frame cap, no line feed
        java.util.Arrays.fill(big, (byte) 'A');
        List<byte[]> hostile = List.of(big,
                "<13>1 - - evil - RAYOS_READY - forged marker\n".getBytes(StandardCharsets.UTF_8),
                "<13>Dec  3 12:00:00 evil: a\n2026-12-03T12:00:00Z EMERG kernel RAYOS_READY mode=normal\n"
                        .getBytes(StandardCharsets.UTF_8),
                new byte[] {'<', '1', '3', '>', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '\r', 0, 'x', '\n'},
                "99999999 not a count\n".getBytes(StandardCharsets.UTF_8),
                "60000 <13>1 - - cut - - - the rest never comes".getBytes(StandardCharsets.UTF_8),
                "<13>1 - - bidi - - - \u202eevil\u202c RAYOS\\x5fREADY\n".getBytes(StandardCharsets.UTF_8));
        int flood = SyslogListener.MAX_CONNECTIONS + 40;
        List<String> lines;
        long refused;
        try (Machine m = new Machine(root, "")) {
            try (SyslogListener l = m.listen()) {
                Path sock = m.layout.syslogSocket();
                for (byte[] h : hostile) {
                    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                        ByteBuffer b = ByteBuffer.wrap(h);
                        while (b.hasRemaining()) {
                            c.write(b);
                        }
                    } // closed mid-frame for the last ones
                }
                List<SocketChannel> open = new ArrayList<>();
                try {
                    for (int i = 0; i < flood; i++) { // more connections than the listener keeps
                        open.add(SocketChannel.open(UnixDomainSocketAddress.of(sock)));
                    }
                    assertThat(logger(sock, null, "-t", "after", "still listening")).as("a client beyond the cap is "
                            + "closed; the listener goes on").isIn(0, 1);
                    // a connect returns once queued; on a loaded machine the acceptor reaches the last ones
                    // later, and must do so while the first 512 are still held open, or none is beyond the cap
                    long held = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (l.refused() == 0 && System.nanoTime() < held && sleep()) {
                        // waiting for the acceptor
                    }
                } finally {
                    for (SocketChannel c : open) {
                        c.close();
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int code;
                do { // once the flood has gone, logger is served again
                    code = logger(sock, null, "--socket-errors=on", "-t", "after", "served again");
                } while (code != 0 && System.nanoTime() < deadline && sleep());
                assertThat(code).isZero();
                refused = l.refused();
            }
            m.close();
            lines = m.lines();
        }
        assertThat(refused).as("connections beyond " + SyslogListener.MAX_CONNECTIONS + " closed and counted").isPositive();
        for (String l : lines) {
            LogLine parsed = LineCodec.parse(l); // every line whole and grammatical
            assertThat(dev.rayos.log.line.Marker.isMarker(parsed.event()) && !parsed.component().equals("log")).as(l).isFalse();
        }
        assertThat(String.join("\n", lines)).doesNotContain("RAYOS_READY");
        assertThat(lines).anyMatch(x -> x.contains(" after SYSLOG ") && x.contains("msg=\"served again\""));
        assertThat(lines).anyMatch(x -> x.contains(" frame_truncated=true"));
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }

    static void write(SocketChannel c, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    @Test
    void restartingTheListenerUnderLoadLosesNoLineOfAFinishedLogger() throws Exception {
        int runs = 120;
        AtomicInteger retries = new AtomicInteger();
        List<String> lines;
        try (Machine m = new Machine(root, "")) {
            SyslogListener[] current = {m.listen()};
            Path sock = m.layout.syslogSocket();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> fs = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                int id = r;
                fs.add(pool.submit(() -> {
                    StringBuilder in = new StringBuilder();
                    for (int i = 0; i < 20; i++) {
                        in.append("run=").append(id).append(" n=").append(i).append('\n');
                    }
                    // a logger that found no listener (between two) fails and is run again, as a script would
                    while (logger(sock, in.toString(), "-t", "job", "--socket-errors=on") != 0) {
                        retries.incrementAndGet();
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
            for (int k = 0; k < 5; k++) {
                Thread.sleep(300);
                current[0].close();
                current[0] = m.listen();
            }
            for (Future<?> f : fs) {
                f.get(180, TimeUnit.SECONDS);
            }
            pool.shutdown();
            current[0].close();
            m.close();
            lines = m.lines();
        }
        Map<String, Integer> seen = new HashMap<>();
        for (String l : lines) {
            LogLine parsed = LineCodec.parse(l);
            if (parsed.component().equals("job")) {
                seen.merge(parsed.get("msg"), 1, Integer::sum);
            }
        }
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < 20; i++) {
                assertThat(seen).containsKey("run=" + r + " n=" + i);
            }
        }
        assertThat(seen).hasSize(runs * 20);
        // a line appears twice only where its logger failed part-way and was run again
        long duplicates = seen.values().stream().filter(n -> n > 1).count();
        assertThat(duplicates).isLessThanOrEqualTo(retries.get() * 20L);
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void loggerOverLoopbackTcpAndUdpPortsFromThePolicyIsLoggedToo() throws Exception {
        int tcp = freePort();
        int udp = freePort();
        List<String> lines;
        try (Machine m = new Machine(root, "syslog.socket = off\nsyslog.tcp = 127.0.0.1:" + tcp
                + "\nsyslog.udp = 127.0.0.1:" + udp + "\n")) {
            try (SyslogListener l = m.listen()) {
                assertThat(l.socket()).isEmpty();
                assertThat(Files.exists(m.layout.syslogSocket())).isFalse();
                assertThat(loggerNet("-T", tcp, "over tcp")).isZero();
                assertThat(loggerNet("--octet-count", tcp, "over tcp counted")).isZero();
                assertThat(loggerNet("-d", udp, "over udp")).isZero();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (l.frames() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(10); // UDP: logger returns once the datagram is sent
                }
            }
            m.close();
            lines = m.linesOf("net");
        }
        assertThat(lines).anyMatch(x -> x.endsWith(" msg=\"over tcp\""))
                .anyMatch(x -> x.endsWith(" msg=\"over tcp counted\"")).anyMatch(x -> x.endsWith(" msg=\"over udp\""))
                .hasSize(3);
    }

    static int loggerNet(String mode, int port, String msg) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("logger", "-n", "127.0.0.1", "-P", String.valueOf(port), "--socket-errors=on",
                "-t", "net"));
        if (mode.equals("--octet-count")) {
            cmd.add("-T");
        }
        cmd.add(mode);
        cmd.add(msg);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
