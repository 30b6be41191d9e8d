package dev.rayos.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One {@link WriteThroughput} measurement outside JMH, for profilers that want a plain process
 * (JFR, strace, perf): warm-up runs, then one timed run, each verified.
 *
 * <pre>java -cp benchmarks.jar dev.rayos.bench.WriteOnce CONTENDER THREADS LINES [RUNS [LEVEL]]</pre>
 *
 * <p>With {@code -Dbench.systemPerThread=true} each producer gets a contender of its own (its own
 * root, files and background threads): what producers that share nothing would reach, the bound
 * for per-producer rings. The output names the contender {@code NAME/thread}.
 */
public final class WriteOnce {
    private WriteOnce() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int threads = Integer.parseInt(args[1]);
        long lines = Long.parseLong(args[2]);
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String level = args.length > 4 ? args[4] : "INFO";
        String base = System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"));
        boolean perThread = Boolean.getBoolean("bench.systemPerThread");
        for (int run = 0; run < runs; run++) {
            Path dir = Files.createTempDirectory(Path.of(base), "write-once-" + name + "-");
            Contender[] cs = new Contender[perThread ? threads : 1];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = Contender.of(name, level);
                cs[i].open(cs.length == 1 ? dir : Files.createDirectory(dir.resolve("t" + i)), 10L << 20, 20);
            }
            Thread[] ts = new Thread[threads];
            long[] cpu = new long[threads];
            long per = lines / threads;
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long p0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                Contender.Producer p = cs[perThread ? t : 0].producer(t);
                int ti = t;
                ts[t] = new Thread(() -> {
                    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                    long c0 = mx.getCurrentThreadCpuTime();
                    for (long n = 0; n < per; n++) {
                        p.log(n);
                    }
                    cpu[ti] = mx.getCurrentThreadCpuTime() - c0;
                    try {
                        p.finish();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, "producer-" + t);
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            long produced = System.nanoTime();
            for (Contender c : cs) {
                c.close();
            }
            long closed = System.nanoTime();
            long processCpu = os.getProcessCpuTime() - p0;
            java.util.List<Path> files = new java.util.ArrayList<>();
            for (Contender c : cs) {
                files.addAll(c.files()); // a thread's lines are all in one contender's files
            }
            OutputCheck.Result r = OutputCheck.verify(files, threads, per, level);
            long cpuAll = 0;
            for (long x : cpu) {
                cpuAll += x;
            }
            // The producers' CPU per line: less at the mercy of other jobs on the machine than the rate.
            // The process's (every thread: producers, background writer, GC, JIT) is what a line costs
            // the machine; once the producers use every core, it bounds the rate.
            System.out.printf("%s threads=%d run %d: %.2fM lines/s (producers done after %d ms, close %d ms,"
                    + " producer CPU %d ns/line, process CPU %d ns/line); %s%n",
                    perThread ? name + "/thread" : name, threads, run, lines / ((closed - t0) / 1e9) / 1e6, (produced - t0) / 1_000_000,
                    (closed - produced) / 1_000_000, cpuAll / lines, processCpu / lines, r);
            WriteThroughput.deleteTree(dir);
        }
    }
}
