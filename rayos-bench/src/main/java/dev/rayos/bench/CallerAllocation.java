package dev.rayos.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * One log call of a {@link BenchLine}, for {@code -prof gc}. Note that JMH's
 * {@code gc.alloc.rate.norm} divides the allocation of every thread of the JVM (the drainer and
 * writer threads included) by the calls; {@link CallerAllocationCheck} measures the caller's thread
 * alone. Files rotate at 10 MiB × 10 (old ones are deleted: nothing is verified here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g",
        "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CallerAllocation {
    @Param({"rayos", "log4j2", "logback"})
    public String contender;

    private Path dir;
    private Contender impl;
    private Contender.Producer producer;
    private long n;

    @Setup(Level.Trial)
    public void open() throws Exception {
        String base = System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(Path.of(base), "alloc-" + contender + "-");
        impl = Contender.of(contender);
        impl.open(dir, 10L << 20, 10);
        producer = impl.producer(0);
    }

    @Benchmark
    public void logOneLine() {
        producer.log(n++);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        impl.close();
        WriteThroughput.deleteTree(dir);
    }
}
