package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.console.ConsoleSink;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.status.StatusChannel;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drainer of a real mapped ring writing real category files under a temporary root, on a clock
 * the test sets, with its console, status channel and threads at hand: what {@link DrainerTest}
 * and {@link DrainerNapTest} observe.
 */
abstract class DrainerFixture {
    @TempDir
    Path root;

    /** The log system's clock, moved by the test only. */
    static final class SetClock implements LogClock {
        volatile long mono = 1_000_000_000_000L;

        @Override
        public long monoNanos() {
            return mono;
        }

        @Override
        public long utcNanos() {
            return 1_796_551_200_000_000_000L + mono;
        }
    }

    final SetClock clock = new SetClock();
    final BootId boot = BootId.random();
    final ByteArrayOutputStream statusOut = new ByteArrayOutputStream();
    final StatusChannel status = new StatusChannel(new PrintStream(statusOut, true), clock::monoNanos);
    final CountDownLatch consoleFree = new CountDownLatch(1);
    final List<AutoCloseable> cleanup = new ArrayList<>();
    RootLayout layout;
    Ring ring;
    ConsoleSink console;
    Drainer drainer;
    Thread drainerThread;
    Thread syncerThread;

    @AfterEach
    void tearDown() throws Exception {
        Thread.interrupted();
        consoleFree.countDown();
        if (drainer != null) {
            drainer.stop();
            drainer.closeFiles();
        }
        if (console != null) {
            console.close(5000);
        }
        if (ring != null) {
            ring.close();
        }
    }

    /** How the drainer naps and sleeps when idle: as in production unless a test says otherwise. */
    ObjLongConsumer<Object> idle = LockSupport::parkNanos;
    /** The idle drainer's naps and sleeps (their nanoseconds), when {@link #untilWoken} is used. */
    final LinkedBlockingQueue<Long> parks = new LinkedBlockingQueue<>();

    /** Naps and sleeps that end only when the drainer is woken: whatever needs doing must wake it. */
    void untilWoken() {
        idle = (blocker, nanos) -> {
            parks.add(nanos);
            LockSupport.park(blocker);
        };
    }

    /** The ring's capacity: a test may set another before {@link #start}. */
    long ringBytes = 256 * 1024;

    /** A drainer over a mounted (or not) ring, its console written to {@code out}, started. */
    void start(boolean mounted, OutputStream out, LongConsumer pause) throws IOException {
        layout = new RootLayout(root);
        ring = Ring.create(layout.ringDir().resolve("test.ring"), ringBytes, boot);
        if (mounted) {
            ring.mount();
        }
        console = new ConsoleSink(out, 4096, n -> ("dropped " + n).getBytes(StandardCharsets.US_ASCII),
                "drainer-test-console");
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        drainer = new Drainer(ring, console, Policy.DEFAULTS, layout, boot, clock, status, pause, idle);
        drainer.start();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && t.getName().equals("rayos-log-drainer")) {
                drainerThread = t;
            } else if (!before.contains(t) && t.getName().equals("rayos-log-syncer")) {
                syncerThread = t;
            }
        }
        assertThat(drainerThread).isNotNull();
        assertThat(syncerThread).isNotNull();
    }

    void start() throws IOException {
        start(true, new ByteArrayOutputStream(), n -> { });
    }

    long log(String category, String line, boolean urgent) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        long seq = ring.append(RingFormat.TYPE_LINE, ring.categoryIndex(category), urgent ? RingFormat.FLAG_URGENT : 0,
                b, 0, b.length);
        drainer.afterAppend(0, urgent);
        return seq;
    }

    List<String> file(String category) throws IOException {
        Path f = layout.logFile(category, boot);
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** Waits (at most 30 s) until the category's file holds {@code n} lines. */
    void awaitLines(String category, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (file(category).size() < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(file(category)).hasSize(n);
    }

    void awaitDurable(long seq) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (drainer.durableSeq() <= seq && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(drainer.durableSeq()).isGreaterThan(seq);
    }

    /** The descriptors of this process open on a file under the logs directory. */
    List<Path> openLogFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        Path logs = layout.logsDir().toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(logs)) {
                        out.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, gone
                }
            }
        }
        return out;
    }

    /** A console device that takes nothing until the test ends. */
    OutputStream blockedConsole() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    consoleFree.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
        };
    }
}
