package dev.rayos.bench;

import dev.rayos.log.LogSystem;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.crash.CrashReportFiles;
import dev.rayos.log.Panic;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Issue 4's number: the time from {@code panic()} to the report being fsync'd in
 * {@code crash/panics/}, median and worst of 100 (the first, cold panic of the JVM included, as a
 * real process panics cold). Not JMH: a panic happens once per process, so what matters is each
 * single call, not a steady-state throughput.
 *
 * <p>{@code java -cp rayos-bench/target/benchmarks.jar dev.rayos.bench.PanicToReport [DIR] [N]}:
 * a machine root is made under DIR (default {@code target/}; put it on the disk to measure, not
 * on tmpfs), with a mounted log system holding 1,000 lines, so each report carries the default
 * 200 last lines. Each report is deleted after it is measured, so every panic is a boot's first.
 */
public final class PanicToReport {
    private PanicToReport() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Files.createDirectories(dir);
        Path root = Files.createTempDirectory(dir.toAbsolutePath(), "panic-bench-");
        RootLayout layout = new RootLayout(root);
        BootRecord boot = new Boots(layout, LogClock.system()).start(BootMode.NORMAL, true);
        long[] toReport = new long[n];
        long[] whole = new long[n];
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        try (LogSystem sys = LogSystem.builder(layout).boot(boot.id()).console(OutputStream.nullOutputStream()).open()) {
            for (int i = 0; i < 1000; i++) {
                sys.logger("kernel").info("TICK").kv("i", i).kv("text", "a line like the ones before a crash").log();
            }
            sys.flush();
            Panic panic = Panic.of(sys, "bench");
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                Panic.Outcome o = panic.panic("benchmark panic " + i, "iteration=" + i);
                long t1 = System.nanoTime();
                if (o.file() == null || !o.problems().isEmpty()) {
                    throw new IllegalStateException("panic " + i + " did not write its report: " + o.problems());
                }
                toReport[i] = o.durableAt() - t0;
                whole[i] = t1 - t0;
                h.recordValue(toReport[i]);
                for (Path p : CrashReportFiles.list(layout.crashPanicsDir())) {
                    Files.delete(p);
                }
            }
        }
        long[] sorted = toReport.clone();
        Arrays.sort(sorted);
        long[] wholeSorted = whole.clone();
        Arrays.sort(wholeSorted);
        System.out.printf("panic() -> report fsync'd, %d panics: median %.3f ms, p90 %.3f ms, worst %.3f ms "
                        + "(first, cold: %.3f ms; best %.3f ms)%n", n, ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)), ms(sorted[n - 1]), ms(toReport[0]), ms(sorted[0]));
        System.out.printf("panic() returned (history marked, RAYOS_PANIC durable): median %.3f ms, worst %.3f ms%n",
                ms(wholeSorted[n / 2]), ms(wholeSorted[n - 1]));
        System.out.println("root: " + root + " (" + Files.getFileStore(root).type() + ")");
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
