package dev.rayos.bench;

import dev.rayos.bridges.forward.ForwardConfig;
import dev.rayos.bridges.forward.Forwarder;
import dev.rayos.log.root.RootLayout;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code rayos forward --once}'s own work, without the JVM start: one pass of a {@link Forwarder}
 * (read the file, frame each line as RFC 5424, send, write the cursor after each 256 KiB batch)
 * over one boot file of {@value #LINES} lines, from a fresh cursor each iteration, to a TCP server in
 * this JVM that reads and discards into one array (so it allocates nothing itself). The score is
 * per line; with {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per line
 * (every thread's, the server's being none). Each iteration checks every line was sent.
 *
 * <p>{@code java -jar rayos-bench/target/benchmarks.jar ForwardThroughput -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class ForwardThroughput {
    static final int LINES = 200_000;
    private static final String BOOT = "0123456789abcdef0123456789abcdef";

    private Path dir;
    private RootLayout layout;
    private ServerSocket server;
    private Thread reader;
    private final AtomicLong received = new AtomicLong();
    private URI target;
    private long sentBytes;

    @Setup(Level.Trial)
    public void files() throws IOException {
        dir = Files.createTempDirectory("forward-bench");
        layout = new RootLayout(dir);
        Path file = Files.createDirectories(layout.categoryDir("boot")).resolve(BOOT + ".log");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                // the line forward-vs-imfile.sh writes
                w.write(String.format("2026-12-03T12:00:%02d.%06dZ INFO app REQUEST n=%d path=/api/v1/items/%d "
                        + "msg=\"request served in %d ms\"\n", i / 1_000_000 % 60, i % 1_000_000, i, i % 997, i % 250));
            }
        }
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        target = URI.create("tcp://127.0.0.1:" + server.getLocalPort());
        reader = new Thread(this::discard, "discard");
        reader.setDaemon(true);
        reader.start();
    }

    private void discard() {
        byte[] buf = new byte[1 << 16];
        while (!server.isClosed()) {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    received.addAndGet(n);
                }
            } catch (IOException closed) {
                // the next connection, or the end
            }
        }
    }

    @Setup(Level.Iteration)
    public void freshCursor() throws IOException {
        Files.deleteIfExists(layout.forwardDir().resolve("boot.cursor"));
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long forwardOnce() throws Exception {
        try (Forwarder f = new Forwarder(layout, ForwardConfig.of(target, null, "bench"), null)) {
            Forwarder.Sent s = f.once();
            if (s.lines() != LINES) {
                throw new IllegalStateException("sent " + s.lines() + " lines of " + LINES);
            }
            sentBytes += s.bytes();
            return s.bytes();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < sentBytes && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        server.close();
        if (received.get() != sentBytes) {
            throw new IllegalStateException("the server received " + received.get() + " of " + sentBytes + " bytes");
        }
        WriteThroughput.deleteTree(dir);
    }
}
