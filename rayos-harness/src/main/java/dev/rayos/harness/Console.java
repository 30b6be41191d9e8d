package dev.rayos.harness;

import dev.rayos.log.time.LogClock;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The guest's serial console as the harness has read it so far: accumulated text that
 * expectations search, and complete lines handed to listeners (bridge, crash detection,
 * {@code --fail-on}).
 *
 * <p>Why accumulated text and not per-read matching: a marker arrives in as many reads as
 * the UART and the socket cut it into, and the kernel's printk may land in the middle of
 * the guest's line before the marker ({@code [ 2.9] random: crng init doneRAYOS_READY}).
 * Searching the accumulated text from the end of the previous match finds the marker in
 * both cases; each search starts just before the newly arrived text, so waiting costs
 * O(new text), not O(transcript).
 *
 * <p>Positions are absolute character offsets since boot. To stay bounded under a guest
 * that prints forever, the oldest text is dropped past {@code maxChars}; a search that
 * starts before the retained window starts at its beginning.
 *
 * <p>Thread model: one reader thread calls {@link #accept}; waiters block on this object's
 * monitor and are woken on each append and on {@link #wake()} (the machine ending).
 */
public final class Console {
    /** Lines longer than this are cut; the bridge and crash reader never see more at once. */
    public static final int MAX_LINE_CHARS = 4096;

    private final int maxChars;
    private final StringBuilder text = new StringBuilder();
    private long dropped; // characters discarded from the front of text
    private final StringBuilder line = new StringBuilder();
    private boolean lineCut;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] carry = new byte[0];
    private final List<Consumer<ConsoleLine>> listeners = new CopyOnWriteArrayList<>();
    private final LogClock clock;
    private volatile long lastOutputNanos;

    /** A console on {@code clock}'s monotonic time (deadlines and {@link #lastOutputNanos()}) that keeps at most {@code maxChars}. */
    public Console(int maxChars, LogClock clock) {
        if (maxChars < MAX_LINE_CHARS * 2) {
            throw new IllegalArgumentException("maxChars too small: " + maxChars);
        }
        this.maxChars = maxChars;
        this.clock = clock;
        this.lastOutputNanos = clock.monoNanos();
    }

    public Console(int maxChars) {
        this(maxChars, LogClock.system());
    }

    public Console(LogClock clock) {
        this(16 << 20, clock);
    }

    public Console() {
        this(LogClock.system());
    }

    /** One complete console line: CR and LF removed; {@code cut} when longer than the bound. */
    public record ConsoleLine(String text, boolean cut, long endPosition) {}

    /** Adds a listener of complete lines; called on the reader thread, in order. */
    public void onLine(Consumer<ConsoleLine> listener) {
        listeners.add(listener);
    }

    /**
     * Takes bytes read from the serial chardev. A UTF-8 sequence split across reads is kept
     * until its end arrives; invalid bytes become U+FFFD.
     */
    public void accept(byte[] bytes, int off, int len) {
        lastOutputNanos = clock.monoNanos();
        ByteBuffer in;
        if (carry.length > 0) {
            byte[] joined = new byte[carry.length + len];
            System.arraycopy(carry, 0, joined, 0, carry.length);
            System.arraycopy(bytes, off, joined, carry.length, len);
            in = ByteBuffer.wrap(joined);
        } else {
            in = ByteBuffer.wrap(bytes, off, len);
        }
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        // an incomplete sequence at the end stays in `in` (at most 3 bytes): keep it for the next read
        carry = new byte[in.remaining()];
        in.get(carry);
        out.flip();
        if (out.hasRemaining()) {
            append(out);
        }
    }

    /** Appends decoded text (tests and the bridge's own notes use this directly). */
    public void append(CharSequence chunk) {
        List<ConsoleLine> complete = new java.util.ArrayList<>();
        synchronized (this) {
            text.append(chunk);
            for (int i = 0; i < chunk.length(); i++) {
                char c = chunk.charAt(i);
                if (c == '\n') {
                    complete.add(new ConsoleLine(line.toString(), lineCut, dropped + text.length() - (chunk.length() - i - 1)));
                    line.setLength(0);
                    lineCut = false;
                } else if (c != '\r') {
                    if (line.length() < MAX_LINE_CHARS) {
                        line.append(c);
                    } else {
                        lineCut = true;
                    }
                }
            }
            if (text.length() > maxChars) {
                int drop = text.length() - maxChars / 2;
                text.delete(0, drop);
                dropped += drop;
            }
            notifyAll();
        }
        for (ConsoleLine l : complete) {
            for (Consumer<ConsoleLine> listener : listeners) {
                listener.accept(l);
            }
        }
    }

    /** Absolute position just past the last character read. */
    public synchronized long position() {
        return dropped + text.length();
    }

    /** The clock's {@link LogClock#monoNanos()} when the last bytes were read from the guest. */
    public long lastOutputNanos() {
        return lastOutputNanos;
    }

    /** The retained text (all of it unless the guest printed more than the bound). */
    public synchronized String text() {
        return text.toString();
    }

    /** The retained text from an absolute position on. */
    public synchronized String textFrom(long position) {
        int from = (int) Math.max(0, position - dropped);
        return text.substring(Math.min(from, text.length()));
    }

    /**
     * Waits (at most until the deadline) for the line being printed to end, so a run that ends as
     * soon as its last marker appears does not cut the rest of that line from its serial log.
     */
    public synchronized void awaitLineEnd(long deadlineNanos) throws InterruptedException {
        while (line.length() > 0) {
            long left = deadlineNanos - clock.monoNanos();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Waits until {@code condition} holds or the deadline passes; the condition is re-checked on
     * every append and {@link #wake()}.
     *
     * @return whether the condition held
     */
    public synchronized boolean awaitUntil(long deadlineNanos, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        while (!condition.getAsBoolean()) {
            long left = deadlineNanos - clock.monoNanos();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
        return true;
    }

    /** Wakes every waiter so it can re-check whether the machine has ended. */
    public synchronized void wake() {
        notifyAll();
    }

    /**
     * Waits until {@code marker} appears at or after {@code from}, until the deadline, or until
     * {@code stop} says to give up.
     *
     * @return the absolute position just past the match, or {@code -1} when not found
     */
    public long awaitText(String marker, long from, long deadlineNanos, java.util.function.BooleanSupplier stop)
            throws InterruptedException {
        long searchFrom = from;
        synchronized (this) {
            while (true) {
                int start = (int) Math.max(0, searchFrom - dropped);
                int at = text.indexOf(marker, start);
                if (at >= 0) {
                    return dropped + at + marker.length();
                }
                // next search starts where a match could still begin: the last marker-1 chars
                searchFrom = Math.max(from, dropped + text.length() - marker.length() + 1);
                if (stop.getAsBoolean()) {
                    return -1;
                }
                long left = deadlineNanos - clock.monoNanos();
                if (left <= 0) {
                    return -1;
                }
                long ms = Math.max(1, Math.min(left / 1_000_000, 200));
                wait(ms);
            }
        }
    }
}
