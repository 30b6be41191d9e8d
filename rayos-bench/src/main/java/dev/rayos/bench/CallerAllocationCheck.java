package dev.rayos.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes the caller's thread allocates per log call, measured directly: HotSpot's per-thread
 * allocation counter ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) read before
 * and after {@code calls} calls, after as many calls of warm-up. The allocation of the contender's
 * own threads (drainers, writers) is not the caller's and is reported apart, summed over every other
 * thread of the JVM.
 *
 * <pre>java -cp benchmarks.jar dev.rayos.bench.CallerAllocationCheck [calls] [contender...]</pre>
 */
public final class CallerAllocationCheck {
    private CallerAllocationCheck() {}

    public static void main(String[] args) throws Exception {
        long calls = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        String[] names = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"rayos", "log4j2", "logback"};
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        long self = Thread.currentThread().getId();
        // The counter's own cost, to subtract nothing by hand: an empty measured loop.
        long b0 = mx.getThreadAllocatedBytes(self);
        long b1 = mx.getThreadAllocatedBytes(self);
        System.out.printf("baseline (two reads of the counter): %d B%n", b1 - b0);
        String base = System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"));
        for (String name : names) {
            Path dir = Files.createTempDirectory(Path.of(base), "alloc-check-" + name + "-");
            Contender c = Contender.of(name);
            c.open(dir, 10L << 20, 10);
            Contender.Producer p = c.producer(0);
            long n = 0;
            for (int round = 0; round < 3; round++) {
                for (long i = 0; i < calls; i++) {
                    p.log(n++); // warm-up: compile the path
                }
                long[] ids = mx.getAllThreadIds();
                long othersBefore = sumOthers(mx, ids, self);
                long before = mx.getThreadAllocatedBytes(self);
                for (long i = 0; i < calls; i++) {
                    p.log(n++);
                }
                long after = mx.getThreadAllocatedBytes(self);
                long othersAfter = sumOthers(mx, ids, self);
                System.out.printf("%-8s round %d: caller %.3f B/call (%d B over %d calls); other threads %.1f B/call%n",
                        name, round, (after - before) / (double) calls, after - before, calls,
                        (othersAfter - othersBefore) / (double) calls);
            }
            c.close();
            WriteThroughput.deleteTree(dir);
        }
    }

    private static long sumOthers(com.sun.management.ThreadMXBean mx, long[] ids, long self) {
        long[] bytes = mx.getThreadAllocatedBytes(ids);
        long sum = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != self && bytes[i] > 0) {
                sum += bytes[i];
            }
        }
        return sum;
    }
}
