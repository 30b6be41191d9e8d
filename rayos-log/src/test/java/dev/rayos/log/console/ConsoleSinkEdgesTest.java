package dev.rayos.log.console;

import static dev.rayos.log.console.ConsoleSinkTest.NOTICE;
import static dev.rayos.log.console.ConsoleSinkTest.line;
import static dev.rayos.log.console.ConsoleSinkTest.offer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
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
 * The console sink at its edges: a buffered device, a console nobody reads, a queue larger than the
 * writer's chunk, a close that is interrupted. Devices are the JVM's own (byte arrays, pipes).
 */
class ConsoleSinkEdgesTest {
    /** A pipe whose reader the test starts; the writer blocks on its 16-byte buffer until then. */
    static final class StuckConsole {
        final PipedInputStream device = new PipedInputStream(16);
        final PipedOutputStream out;
        final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        StuckConsole() throws IOException {
            out = new PipedOutputStream(device);
        }

        void awaitWriterBlocked() throws IOException {
            while (device.available() == 0) {
                Thread.onSpinWait();
            }
        }

        CompletableFuture<Void> read() {
            return CompletableFuture.runAsync(() -> {
                try {
                    device.transferTo(seen);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        List<String> lines() {
            return seen.toString(StandardCharsets.US_ASCII).lines().toList();
        }
    }

    @Test
    void linesReachADeviceThatBuffersOnceTheyAreSaidToBeWritten() throws Exception {
        ByteArrayOutputStream device = new ByteArrayOutputStream();
        ConsoleSink s = new ConsoleSink(new BufferedOutputStream(device, 8192), 4096, NOTICE, "console-test");
        assertThat(offer(s, "queued".getBytes(StandardCharsets.US_ASCII), false)).isTrue();
        s.awaitWritten(60_000);
        assertThat(device.toString(StandardCharsets.US_ASCII)).isEqualTo("queued\n");
        s.writeNow("*** PANIC ***\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(device.toString(StandardCharsets.US_ASCII)).isEqualTo("queued\n*** PANIC ***\n");
        s.close();
    }

    @Test
    void theWriterThreadNeverKeepsTheProcessAlive() throws Exception {
        ConsoleSink s = new ConsoleSink(new ByteArrayOutputStream(), 4096, NOTICE, "console-daemon-check");
        try {
            List<Thread> writers = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("console-daemon-check")) {
                    writers.add(t);
                }
            }
            assertThat(writers).singleElement().satisfies(t -> assertThat(t.isDaemon()).isTrue());
        } finally {
            s.close();
        }
    }

    @Test
    void waitingForAConsoleNobodyReadsEndsAtTheDeadlineWithTheLinesStillQueued() throws Exception {
        StuckConsole c = new StuckConsole();
        ConsoleSink s = new ConsoleSink(c.out, 4096, NOTICE, "console-test");
        assertThat(offer(s, line('a', 2000), true)).isTrue();
        c.awaitWriterBlocked();
        assertThat(offer(s, line('b', 100), true)).isTrue();
        CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
            try {
                s.awaitWritten(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waited.get(60, TimeUnit.SECONDS); // a wait that ignored its deadline would still be waiting
        assertThat(c.seen.size()).isZero();
        CompletableFuture<Void> reader = c.read();
        s.close(60_000);
        reader.get(60, TimeUnit.SECONDS);
        assertThat(c.lines()).containsExactly("a".repeat(2000), "b".repeat(100));
    }

    /**
     * A queue four chunks deep (32 KiB, the writer takes 8 KiB at a time): the notice of drops comes
     * once less than a quarter of the queue is left, so after the lines queued before it.
     */
    @Test
    void theDropNoticeComesOnceTheQueueIsBelowAQuarterAfterTheLinesQueuedBeforeIt() throws Exception {
        StuckConsole c = new StuckConsole();
        ConsoleSink s = new ConsoleSink(c.out, 32768, NOTICE, "console-test");
        assertThat(offer(s, line('a', 2000), false)).isTrue();
        c.awaitWriterBlocked();
        List<String> expected = new ArrayList<>();
        expected.add("a".repeat(2000));
        for (int i = 0; i < 16; i++) { // 16 KiB: exactly half the queue
            byte[] l = line((char) ('A' + i), 1023);
            assertThat(offer(s, l, false)).as("ordinary line %d", i).isTrue();
            expected.add(new String(l, StandardCharsets.US_ASCII));
        }
        assertThat(offer(s, line('x', 10), false)).as("over half: dropped").isFalse();
        for (int i = 0; i < 8; i++) { // 8 KiB more, urgent: 24 KiB, three chunks
            byte[] l = line((char) ('a' + i), 1023);
            assertThat(offer(s, l, true)).as("urgent line %d", i).isTrue();
            expected.add(new String(l, StandardCharsets.US_ASCII));
        }
        expected.add("RAYOS_LOG_DROPPED sink=serial count=1");
        CompletableFuture<Void> reader = c.read();
        s.close(60_000);
        reader.get(60, TimeUnit.SECONDS);
        assertThat(c.lines()).containsExactlyElementsOf(expected);
        assertThat(s.droppedTotal()).isEqualTo(1);
    }

    @Test
    void aLineOfferedWhileTheConsoleClosesIsDroppedAndTheConsoleIsToldSo() throws Exception {
        StuckConsole c = new StuckConsole();
        ConsoleSink s = new ConsoleSink(c.out, 4096, NOTICE, "console-test");
        assertThat(offer(s, line('a', 2000), true)).isTrue();
        c.awaitWriterBlocked();
        s.close(1); // closing: the writer is still stuck on the device
        assertThat(offer(s, line('z', 10), true)).isFalse();
        CompletableFuture<Void> reader = c.read();
        s.close(60_000);
        reader.get(60, TimeUnit.SECONDS);
        assertThat(c.lines()).containsExactly("a".repeat(2000), "RAYOS_LOG_DROPPED sink=serial count=1");
    }

    @Test
    void aCloseInterruptedWhileWaitingKeepsTheInterruptForTheCaller() throws Exception {
        StuckConsole c = new StuckConsole();
        ConsoleSink s = new ConsoleSink(c.out, 4096, NOTICE, "console-test");
        assertThat(offer(s, line('a', 2000), true)).isTrue();
        c.awaitWriterBlocked();
        Thread.currentThread().interrupt();
        s.close(60_000); // returns at once: the wait for the writer is interrupted
        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        CompletableFuture<Void> reader = c.read();
        s.close(60_000);
        reader.get(60, TimeUnit.SECONDS);
        assertThat(c.lines()).containsExactly("a".repeat(2000));
    }

    private static Thread thread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no thread " + name);
    }

    private static void awaitState(Thread t, Thread.State... states) throws InterruptedException {
        while (!java.util.Arrays.asList(states).contains(t.getState())) {
            Thread.sleep(1);
        }
    }

    @Test
    void aLineOfferedToAnIdleConsoleIsWritten() throws Exception {
        ByteArrayOutputStream device = new ByteArrayOutputStream();
        ConsoleSink s = new ConsoleSink(device, 4096, NOTICE, "console-idle-check");
        awaitState(thread("console-idle-check"), Thread.State.WAITING); // the writer sleeps on an empty queue
        assertThat(offer(s, "wake".getBytes(StandardCharsets.US_ASCII), false)).isTrue();
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try {
                s.awaitWritten(600_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        written.get(60, TimeUnit.SECONDS);
        assertThat(device.toString(StandardCharsets.US_ASCII)).isEqualTo("wake\n");
        s.close();
    }

    @Test
    void linesOfferedWhileTheWriterNapsAfterAWriteAreWrittenWhenTheNapEnds() throws Exception {
        ByteArrayOutputStream device = new ByteArrayOutputStream();
        ConsoleSink s = new ConsoleSink(device, 4096, NOTICE, "console-nap-check");
        StringBuilder expected = new StringBuilder();
        // Each offer comes right after the previous line was written: the writer is then in its nap,
        // which no offer cuts short, or just past it; either way the line must reach the device.
        for (int i = 0; i < 200; i++) {
            assertThat(offer(s, ("line " + i).getBytes(StandardCharsets.US_ASCII), false)).isTrue();
            expected.append("line ").append(i).append('\n');
            s.awaitWritten(60_000);
            assertThat(device.toString(StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
        }
        s.close();
    }

    @Test
    void aLineOfferedWhileTheWriterNapsWaitsForTheNapToEndAndIsNotLost() throws Exception {
        ByteArrayOutputStream device = new ByteArrayOutputStream();
        // A writer starts with a nap; this one naps ten minutes, so only the close can end it.
        ConsoleSink s = new ConsoleSink(device, 4096, NOTICE, "console-long-nap", TimeUnit.MINUTES.toNanos(10));
        awaitState(thread("console-long-nap"), Thread.State.TIMED_WAITING);
        assertThat(offer(s, "during the nap".getBytes(StandardCharsets.US_ASCII), false)).isTrue();
        Thread.sleep(300);
        assertThat(device.size()).as("an offer does not wake a napping writer").isZero();
        s.close(60_000);
        assertThat(device.toString(StandardCharsets.US_ASCII)).isEqualTo("during the nap\n");
    }

    @Test
    void waitingForTheLinesEndsWhenTheDeviceTakesThemNotAtTheDeadline() throws Exception {
        StuckConsole c = new StuckConsole();
        ConsoleSink s = new ConsoleSink(c.out, 4096, NOTICE, "console-test");
        assertThat(offer(s, line('a', 2000), true)).isTrue();
        c.awaitWriterBlocked();
        java.util.concurrent.atomic.AtomicReference<Thread> waiter = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
            waiter.set(Thread.currentThread());
            try {
                s.awaitWritten(600_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (waiter.get() == null) {
            Thread.onSpinWait();
        }
        awaitState(waiter.get(), Thread.State.TIMED_WAITING); // waiting for the write in flight
        CompletableFuture<Void> reader = c.read();
        waited.get(60, TimeUnit.SECONDS); // ten minutes before its deadline
        s.close(60_000);
        reader.get(60, TimeUnit.SECONDS);
        assertThat(c.lines()).containsExactly("a".repeat(2000));
    }
}
