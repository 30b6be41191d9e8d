package dev.rayos.log;

import dev.rayos.log.root.LogFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.child.KilledWriter;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.root.RootLayout;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real child JVMs logging from two threads, killed with SIGKILL at random moments; then the next
 * start recovers their ring. {@code -Drayos.killTrials=N} raises the number of trials.
 */
class KillTest {
    private static final int THREADS = 2;

    @TempDir
    Path tmp;

    @Test
    void killedWriterLosesNoAcknowledgedLineAndDuplicatesNone() throws Exception {
        int trials = Integer.getInteger("rayos.killTrials", 50);
        Random rnd = new Random(Long.getLong("rayos.killSeed", System.nanoTime()));
        long recoveredTotal = 0;
        for (int trial = 0; trial < trials; trial++) {
            Path root = tmp.resolve("t" + trial);
            Trial t = runAndKill(root, rnd, "", trial % 3 == 0 ? 50 : 0, false);
            long[] last = new long[THREADS];
            for (LogLine l : t.lines) {
                if (!l.component().equals("writer")) {
                    continue;
                }
                int th = Integer.parseInt(l.get("t"));
                long n = Long.parseLong(l.get("n"));
                assertThat(n).as("trial %d thread %d: line after %d (order kept, no gap, no duplicate)",
                        trial, th, last[th]).isEqualTo(last[th] + 1);
                last[th] = n;
                // The other thread's line this one saw acknowledged came before it: cause before
                // effect across threads, though each thread logs into a lane of its own.
                long seen = Long.parseLong(l.get("seen"));
                assertThat(last[(th + 1) % THREADS]).as("trial %d: thread %d's line %d saw line %d of the other"
                        + " thread returned; the files hold that line before it", trial, th, n, seen)
                        .isGreaterThanOrEqualTo(seen);
            }
            for (int th = 0; th < THREADS; th++) {
                assertThat(last[th]).as("trial %d thread %d: every acknowledged line is in the file", trial, th)
                        .isGreaterThanOrEqualTo(t.acked[th]);
            }
            recoveredTotal += t.recovered;
        }
        // The trials are only meaningful if kills left lines for recovery at least sometimes.
        assertThat(recoveredTotal).as("lines written out of killed processes' rings").isPositive();
    }

    @Test
    void killedWriterMidRotationLeavesFilesWithinTheCapAndEveryLineParses() throws Exception {
        Random rnd = new Random();
        for (int trial = 0; trial < 8; trial++) {
            Path root = tmp.resolve("cap" + trial);
            // killed once it logs (the writer says "ready" when its threads start, and on a busy
            // machine a kill 5 ms later can come before the first line: nothing to check then)
            Trial t = runAndKill(root, rnd, "retention.max_files = 3\nretention.max_file_size = 128KiB\n", 0, true);
            List<LogFiles.Segment> segs = LogFiles.segments(new RootLayout(root).categoryDir("boot"));
            assertThat(segs.size()).as("files in logs/boot").isLessThanOrEqualTo(3);
            for (LogFiles.Segment s : segs) {
                assertThat(s.size()).as(s.path().toString()).isLessThanOrEqualTo(128 * 1024);
            }
            assertThat(t.lines).as("trial %d: lines of a writer that acknowledged %s", trial,
                    java.util.Arrays.toString(t.acked)).isNotEmpty();
        }
    }

    private record Trial(long[] acked, List<LogLine> lines, long recovered) {}

    /** {@code afterALine}: the random wait before the kill starts once a line was acknowledged. */
    private Trial runAndKill(Path root, Random rnd, String policy, int markEvery, boolean afterALine) throws Exception {
        RootLayout layout = new RootLayout(root);
        if (!policy.isEmpty()) {
            Files.createDirectories(layout.policyFile().getParent());
            Files.writeString(layout.policyFile(), policy);
        }
        BootId boot = BootId.random();
        Path ack = root.resolve("acks");
        Files.createDirectories(root);
        Files.write(ack, new byte[8 * THREADS]);
        Process p = ChildJvm.start(KilledWriter.class, root.toString(), boot.hex(), String.valueOf(THREADS),
                ack.toString(), String.valueOf(markEvery));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            if (afterALine) {
                awaitAnAck(ack);
            }
            Thread.sleep(5 + rnd.nextInt(300));
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        long[] acked = acks(ack);
        // The next start: any writer opening under the root recovers orphaned rings first.
        long recovered;
        try (LogSystem next = LogSystem.builder(layout).boot(BootId.random()).console(java.io.OutputStream.nullOutputStream()).open()) {
            recovered = next.recovered().stream().mapToLong(o -> o.written()).sum();
            assertThat(next.recovered()).allSatisfy(o -> assertThat(o.corrupt()).isZero());
        }
        assertThat(Files.list(layout.ringDir())).as("rings left behind").isEmpty();
        List<LogLine> lines = new ArrayList<>();
        List<LogFiles.Segment> segs = LogFiles.segments(layout.categoryDir("boot"));
        segs.sort(Comparator.comparing(LogFiles.Segment::order));
        for (LogFiles.Segment s : segs) {
            if (!s.boot().equals(boot.hex())) {
                continue;
            }
            for (String l : Files.readAllLines(s.path())) {
                lines.add(LineCodec.parse(l)); // every complete line parses, or the test fails here
            }
        }
        return new Trial(acked, lines, recovered);
    }

    /** Until the writer acknowledged a line in {@code ack} (at most 30 s). */
    private static void awaitAnAck(Path ack) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            for (long n : acks(ack)) {
                if (n > 0) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as("the writer logged a line in time").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** Each thread's last acknowledged line, as the writer left it in {@code ack}. */
    private static long[] acks(Path ack) throws Exception {
        long[] acked = new long[THREADS];
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(ack)).order(ByteOrder.BIG_ENDIAN);
        for (int t = 0; t < THREADS; t++) {
            acked[t] = b.getLong(8 * t);
        }
        return acked;
    }
}
