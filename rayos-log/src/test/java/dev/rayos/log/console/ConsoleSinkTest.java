package dev.rayos.log.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The serial console sink against real devices of the JVM: a byte array (a device that takes
 * everything at once) and a pipe whose reader the test controls (a console that is slow, or that
 * nobody reads until the test says so).
 */
class ConsoleSinkTest {
    static final ConsoleSink.DropNotice NOTICE = n -> ("RAYOS_LOG_DROPPED sink=serial count=" + n)
            .getBytes(StandardCharsets.US_ASCII);

    static byte[] line(char c, int length) {
        return String.valueOf(c).repeat(length).getBytes(StandardCharsets.US_ASCII);
    }

    static boolean offer(ConsoleSink s, byte[] line, boolean urgent) throws InterruptedException {
        return s.offer(line, 0, line.length, urgent);
    }

    static List<String> lines(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.US_ASCII).lines().toList();
    }

    @Test
    void linesReachTheDeviceInOrderEachWithALineFeed() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleSink s = new ConsoleSink(out, 4096, NOTICE, "console-test");
        byte[] buf = "..first..second..third".getBytes(StandardCharsets.US_ASCII);
        s.offerAll(buf, new int[] {2, 9, 17}, new int[] {5, 6, 5}, new boolean[] {false, true, false}, 3);
        s.offerAll(buf, new int[0], new int[0], new boolean[0], 0);
        assertThat(offer(s, "fourth".getBytes(StandardCharsets.US_ASCII), false)).isTrue();
        s.awaitWritten(10_000);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("first\nsecond\nthird\nfourth\n");
        s.close();
        assertThat(s.droppedTotal()).isZero();
        assertThat(s.failure()).isNull();
    }

    /**
     * A console nobody reads: ordinary lines fill at most half the queue and the rest are dropped;
     * urgent ones use the whole queue, and then wait for the device rather than be dropped. Once the
     * device takes lines again, it is told how many it missed.
     */
    @Test
    void underPressureOnlyOrdinaryLinesAreDroppedAndTheConsoleIsToldHowMany() throws Exception {
        PipedInputStream device = new PipedInputStream(16);
        PipedOutputStream out = new PipedOutputStream(device);
        ConsoleSink s = new ConsoleSink(out, 4096, NOTICE, "console-test");
        // The writer takes the first line and waits for the device to read it.
        assertThat(offer(s, line('a', 2000), false)).isTrue();
        while (device.available() == 0) {
            Thread.onSpinWait();
        }
        // The queue is empty again: 2048 bytes (half of it) for ordinary lines, all 4096 for urgent.
        assertThat(offer(s, line('b', 1023), false)).as("1024 bytes queued").isTrue();
        assertThat(offer(s, line('c', 1023), false)).as("2048 bytes queued: exactly half").isTrue();
        assertThat(offer(s, line('d', 0), false)).as("one byte over half").isFalse();
        assertThat(offer(s, line('e', 1023), true)).as("urgent: 3072 bytes queued").isTrue();
        assertThat(offer(s, line('f', 1023), true)).as("urgent: 4096 bytes, the whole queue").isTrue();
        assertThat(s.droppedTotal()).isEqualTo(1);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return offer(s, line('g', 10), true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
                device.transferTo(seen);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting.get(30, TimeUnit.SECONDS)).as("the urgent line waited for room and was taken").isTrue();
        s.close(30_000);
        reader.get(30, TimeUnit.SECONDS);
        assertThat(lines(seen)).containsExactly("a".repeat(2000), "b".repeat(1023), "c".repeat(1023),
                "e".repeat(1023), "f".repeat(1023), "RAYOS_LOG_DROPPED sink=serial count=1", "g".repeat(10));
    }

    /** Waits until the writer thread named {@code name} naps (a timed wait) and returns it. */
    static Thread nappingWriter(String name) throws InterruptedException {
        while (true) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(name) && t.getState() == Thread.State.TIMED_WAITING) {
                    return t;
                }
            }
            // each look stops every thread for a stack trace: look every millisecond, not in a spin
            Thread.sleep(1);
        }
    }

    /**
     * After a write that followed drops the writer naps ten naps, not one: under a flood each
     * wake-up, its writes and its drop notice cost the logging process more than the sample of the
     * flood the console shows. A line offered during that nap waits for its end.
     */
    @Test
    void afterLinesWereDroppedTheWriterNapsTenTimesLongerBeforeItWritesAgain() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleSink s = new ConsoleSink(out, 4096, NOTICE, "console-flood", TimeUnit.MILLISECONDS.toNanos(400));
        byte[] burst = line('a', 3000);
        // One batch: 2048 bytes fit under half the queue, the rest of the lines are dropped.
        s.offerAll(burst, new int[] {0, 0, 0}, new int[] {2047, 100, 100}, new boolean[3], 3);
        assertThat(s.droppedTotal()).isEqualTo(2);
        s.awaitWritten(30_000);
        nappingWriter("console-flood");
        assertThat(offer(s, "after".getBytes(StandardCharsets.US_ASCII), false)).isTrue();
        Thread.sleep(2_000); // five ordinary naps
        assertThat(lines(out)).as("still napping: 4 s after a flood").doesNotContain("after");
        s.awaitWritten(30_000);
        assertThat(lines(out)).containsExactly("a".repeat(2047), "RAYOS_LOG_DROPPED sink=serial count=2", "after");
        s.close();
    }

    /** An urgent line that finds the queue full does not wait out a writer's nap: it wakes the writer. */
    @Test
    void anUrgentLineThatFindsTheQueueFullWakesANappingWriter() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleSink s = new ConsoleSink(out, 4096, NOTICE, "console-napping", TimeUnit.HOURS.toNanos(1));
        nappingWriter("console-napping"); // its first nap, an hour long
        byte[] big = line('u', 4095);
        assertThat(offer(s, big, true)).as("the whole queue").isTrue();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return offer(s, line('v', 10), true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting.get(30, TimeUnit.SECONDS)).as("taken once the woken writer made room").isTrue();
        s.close(30_000); // the writer may be napping again, an hour: closing writes what is queued
        assertThat(lines(out)).containsExactly("u".repeat(4095), "v".repeat(10));
    }

    @Test
    void aLineLongerThanTheQueueIsCutToItRatherThanNeverShown() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleSink s = new ConsoleSink(out, 100, NOTICE, "console-test"); // at least 4096
        assertThat(offer(s, line('x', 5000), true)).isTrue();
        s.awaitWritten(10_000);
        assertThat(lines(out)).containsExactly("x".repeat(4095));
        // An ordinary one that long needs more than half the queue: dropped.
        assertThat(offer(s, line('y', 5000), false)).isFalse();
        s.close();
    }

    @Test
    void aDeviceThatFailsStopsTakingLinesWithoutStoppingTheCaller() throws Exception {
        PipedInputStream device = new PipedInputStream(64);
        PipedOutputStream out = new PipedOutputStream(device);
        device.close(); // the console went away
        ConsoleSink s = new ConsoleSink(out, 4096, NOTICE, "console-test");
        assertThat(offer(s, line('a', 10), true)).isTrue();
        s.awaitWritten(10_000);
        assertThat(s.failure()).isInstanceOf(IOException.class);
        assertThat(offer(s, line('b', 10), true)).as("a failed device takes nothing").isFalse();
        assertThat(offer(s, line('c', 10), false)).isFalse();
        assertThatThrownBy(() -> s.writeNow(line('d', 5))).isSameAs(s.failure());
        s.close();
    }

    @Test
    void anUrgentLineWaitingForRoomGivesUpWhenTheDeviceFails() throws Exception {
        PipedInputStream device = new PipedInputStream(16);
        PipedOutputStream out = new PipedOutputStream(device);
        ConsoleSink s = new ConsoleSink(out, 4096, NOTICE, "console-test");
        assertThat(offer(s, line('a', 100), true)).isTrue();
        while (device.available() == 0) {
            Thread.onSpinWait();
        }
        assertThat(offer(s, line('b', 4095), true)).as("the whole queue").isTrue();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return offer(s, line('c', 10), true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        device.close(); // the writer's next write fails
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isFalse();
        assertThat(s.failure()).isNotNull();
        s.close();
    }

    @Test
    void aBannerWrittenNowReachesTheDeviceBeforeTheCallReturnsAndClosingDrainsTheQueue() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleSink s = new ConsoleSink(out, 4096, NOTICE, "console-test");
        s.writeNow("*** PANIC ***\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("*** PANIC ***\n");
        List<byte[]> queued = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            queued.add(("line " + i).getBytes(StandardCharsets.US_ASCII));
            assertThat(offer(s, queued.get(i), i % 2 == 0)).isTrue();
        }
        s.close();
        assertThat(lines(out)).hasSize(51).endsWith("line 48", "line 49");
        assertThat(offer(s, line('z', 3), true)).as("a closed console takes nothing").isFalse();
    }
}
