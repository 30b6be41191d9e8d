package dev.rayos.log.status;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The logging system's own troubles, in one place (logback's {@code StatusManager}): a store that
 * cannot write, an fsync that failed, a crash report held back, a marker the boot history missed.
 * When the store is what fails, the logging system cannot log its trouble through itself; so each
 * report is kept here (the last {@value #KEPT}, with the monotonic time it came) and the first of a
 * kind goes to stderr as one line. Repeats of a kind are kept but not printed until that kind is
 * {@linkplain #cleared cleared}: a disk that stays full says so once, not once per retry.
 *
 * <p>Thread-safe; reports are rare, so one lock is enough.
 */
public final class StatusChannel {
    /** How many recent entries are kept. */
    public static final int KEPT = 64;

    /** One report: when (monotonic nanoseconds), its kind (a short word) and one line of text. */
    public record Entry(long monoNanos, String kind, String message) {}

    private final ArrayDeque<Entry> recent = new ArrayDeque<>();
    private final Set<String> printed = new HashSet<>();
    private final PrintStream err;
    private final LongSupplier mono;
    private final Sink sink;
    private boolean sinkFailed;

    /** Told the kept reports and the kinds still failing after each change ({@link StatusFile}). */
    @FunctionalInterface
    public interface Sink {
        void changed(List<Entry> recent, Set<String> active) throws java.io.IOException;
    }

    /**
     * @param err  where the first report of each kind is printed ({@code System.err} in production)
     * @param mono the monotonic clock the entries are stamped with
     */
    public StatusChannel(PrintStream err, LongSupplier mono) {
        this(err, mono, null);
    }

    /**
     * @param sink told of every change, under this channel's lock so that its states come in order
     *             (null: none). It fails at most once aloud: the first failure is printed.
     */
    public StatusChannel(PrintStream err, LongSupplier mono, Sink sink) {
        this.err = err;
        this.mono = mono;
        this.sink = sink;
    }

    /** Keeps a report; prints it when it is the first of its kind since the kind last cleared. */
    public void report(String kind, String message) {
        boolean print;
        synchronized (this) {
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(new Entry(mono.getAsLong(), kind, message));
            print = printed.add(kind);
            tell();
        }
        if (print) {
            err.println("rayos-log: " + message);
        }
    }

    /** The trouble of this kind is over: its next report is printed again. */
    public void cleared(String kind) {
        synchronized (this) {
            if (printed.remove(kind)) {
                tell();
            }
        }
    }

    /** Called under the lock. A sink that cannot write is said once on stderr; the channel goes on. */
    private void tell() {
        if (sink == null) {
            return;
        }
        try {
            sink.changed(List.copyOf(recent), Set.copyOf(printed));
        } catch (java.io.IOException | RuntimeException e) {
            if (!sinkFailed) {
                sinkFailed = true;
                err.println("rayos-log: cannot keep the status for 'rayos status': " + e.getMessage());
            }
        }
    }

    /** The recent reports, oldest first. */
    public synchronized List<Entry> recent() {
        return List.copyOf(recent);
    }
}
