package dev.rayos.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sustained write throughput (issue 2 §7): {@code lines} {@link BenchLine}s from {@code threads}
 * producers into size-rotated files, the clock running from the producers' start until the
 * contender's close returns with every line in its files. One measurement = one iteration
 * (SingleShotTime), in a fresh directory; after it, {@link OutputCheck} proves every line is there,
 * once, in order, or the run fails.
 *
 * <p>Score: milliseconds for all {@code lines}; lines/s = lines / score. The caps default to 10 MiB ×
 * 20 files for every contender so that nothing is deleted (about 150 MB are written); with
 * {@code -p maxFiles=10 -p lines=800000} it is exactly the 10 MiB × 10 of the spec.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g",
        "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class WriteThroughput {
    @Param({"rayos", "log4j2", "logback", "raw"})
    public String contender;

    @Param({"1", "2"})
    public int threads;

    @Param({"1600000"})
    public long lines;

    @Param({"20"})
    public int maxFiles;

    @Param({"10485760"})
    public long maxFileBytes;

    /**
     * INFO, or ERROR for the storm: every line must then be in its file and fsync'd when its call
     * returns (contenders rayos and log4j2_fsync only; use few lines, e.g. {@code -p lines=20000}).
     */
    @Param({"INFO"})
    public String level;

    private Path dir;
    private Contender impl;
    private Thread[] producers;
    private CountDownLatch go;
    private CountDownLatch done;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @Setup(Level.Iteration)
    public void open() throws Exception {
        if (lines % threads != 0) {
            throw new IllegalArgumentException("lines must divide among threads");
        }
        syncDisk();
        String base = System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(Path.of(base), "write-" + contender + "-");
        impl = Contender.of(contender, level);
        impl.open(dir, maxFileBytes, maxFiles);
        long perThread = lines / threads;
        go = new CountDownLatch(1);
        done = new CountDownLatch(threads);
        failure.set(null);
        producers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            Contender.Producer p = impl.producer(t);
            producers[t] = new Thread(() -> {
                try {
                    go.await();
                    for (long n = 0; n < perThread; n++) {
                        p.log(n);
                    }
                    p.finish();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "producer-" + t);
            producers[t].start();
        }
    }

    @Benchmark
    public void write() throws Exception {
        go.countDown();
        done.await();
        impl.close();
    }

    @TearDown(Level.Iteration)
    public void check() throws Exception {
        try {
            for (Thread t : producers) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a producer failed", failure.get());
            }
            OutputCheck.Result r = OutputCheck.verify(impl.files(), threads, lines / threads, level);
            System.out.println("  verified " + contender + ": " + r);
        } finally {
            deleteTree(dir);
        }
    }

    /** Best effort: start each measurement without the previous one's dirty pages in flight. */
    static void syncDisk() {
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // not on this system; measurements are noisier then
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
