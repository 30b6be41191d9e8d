package dev.rayos.log.crash;

import dev.rayos.log.root.ProcessId;
import dev.rayos.log.boot.BootHistoryException;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Crash reports carried in a ring until the data partition can take them (spec §4.1: "cache to
 * the in-memory ring buffer and flush on next boot"), and the one way a report reaches {@code
 * crash/panics/} from a running RayOS: {@link #write}.
 *
 * <p><b>The record.</b> A {@link RingFormat#TYPE_CRASH} record's payload is the report's text
 * form ({@link CrashReportFormat}) in UTF-8, so a record names its own boot and needs no format
 * of its own; a record is cut to fit ({@link #encode}) by dropping the oldest last lines first.
 *
 * <p><b>Exactly once.</b> Writing a report that is already on disk for its boot (same content)
 * writes nothing: a process killed between writing a report and forgetting its record writes it
 * again at the next start, and that second write must not become {@code <boot_id>.2.log}.
 *
 * <p><b>Never lost.</b> A record that cannot be written is {@linkplain #setAside set aside} in a
 * small ring file of its own under {@code run/rayos/ring/} ({@code crash-<pid>-<n>.ring}), left
 * unlocked and undrained exactly as a dead process's ring is, so the next start's recovery scan
 * finds it among the orphans and tries again.
 */
public final class CrashRecords {
    private static final AtomicLong SET_ASIDE = new AtomicLong();

    /**
     * What became of one crash record: written (or found already written) at {@code report}; held
     * in the ring file {@code heldIn} because it could not be written ({@code problem} says why);
     * or, with neither, unreadable and dropped.
     */
    public record Result(BootId boot, Path report, Path heldIn, String problem) {}

    private CrashRecords() {}

    /**
     * The record payload of a report, at most {@code maxBytes} long: when the whole text is
     * longer, the oldest last lines go first, then the excerpt, then the deepest stack frames.
     */
    public static byte[] encode(CrashReport report, int maxBytes) {
        byte[] b = CrashReportFormat.format(report).getBytes(StandardCharsets.UTF_8);
        CrashReport r = report;
        while (b.length > maxBytes) {
            List<String> last = new ArrayList<>(r.lastLines());
            List<String> excerpt = new ArrayList<>(r.excerpt());
            List<String> stack = new ArrayList<>(r.stack());
            if (!last.isEmpty()) {
                last = last.subList(Math.min(last.size(), Math.max(1, last.size() / 4)), last.size());
            } else if (!excerpt.isEmpty()) {
                excerpt = excerpt.subList(0, excerpt.size() / 2);
            } else if (stack.size() > 1) {
                stack = stack.subList(0, stack.size() / 2);
            } else {
                throw new IllegalArgumentException("a crash report of " + b.length + " bytes without lines "
                        + "or frames to drop does not fit " + maxBytes + " bytes");
            }
            r = rebuild(r, stack, last, excerpt);
            b = CrashReportFormat.format(r).getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    private static CrashReport rebuild(CrashReport r, List<String> stack, List<String> last, List<String> excerpt) {
        CrashReport.Builder b = CrashReport.builder(r.bootId(), r.time(), r.source(), r.reason())
                .version(r.version().orElse(null)).buildId(r.buildId().orElse(null)).kind(r.kind().orElse(null))
                .faultAddress(r.faultAddress().orElse(null)).errorCode(r.errorCode().orElse(null))
                .location(r.location().orElse(null)).registers(r.registers())
                .stack(stack).lastLines(last).excerpt(excerpt);
        r.attributes().forEach(b::attribute);
        b.attribute("truncated", "true");
        return b.build();
    }

    /** Reads a record's payload back into a report. */
    public static CrashReport decode(byte[] payload) throws CrashParseException {
        // Lenient decoding: a damaged byte must not cost the whole report (the CRC passed anyway).
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(payload)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CrashParseException("not text: " + e.getMessage(), 1);
        }
        return CrashReportFormat.parse(text);
    }

    /**
     * Writes a report to {@code crash/panics/} atomically ({@link CrashReportFiles#writeNew}) unless
     * the same report is already there. Does not create the directory: a missing one means the
     * data partition is not there (see {@link CrashReportFiles}).
     *
     * @return the report file (new or already there)
     */
    public static Path write(RootLayout layout, CrashReport report) throws IOException {
        Path first = layout.crashReport(report.bootId());
        Path existing = alreadyWritten(layout, report);
        return existing != null ? existing : CrashReportFiles.writeNew(report, first);
    }

    private static Path alreadyWritten(RootLayout layout, CrashReport report) throws IOException {
        for (Path p : CrashReportFiles.list(layout.crashPanicsDir())) {
            if (!CrashReportFiles.bootOf(p).map(report.bootId()::equals).orElse(false)) {
                continue;
            }
            try {
                if (CrashReportFiles.read(p).equals(report)) {
                    return p;
                }
            } catch (CrashParseException | IOException damaged) {
                // a damaged report is not this one
            }
        }
        return null;
    }

    /**
     * Marks a boot's history as ended by a crash, with the report's path (the first report of a
     * boot stays the one named: it is usually the cause). A boot without history under this root
     * (a guest's, a test's) is left alone.
     *
     * @param endNow true when the crash is happening now (the end time is now); false when it is
     *               written out later, keeping whatever end time the history has
     */
    public static void markCrashed(RootLayout layout, LogClock clock, BootId boot, Path report, boolean endNow)
            throws IOException {
        String path = layout.relative(report);
        try {
            new Boots(layout, clock).update(boot, r -> {
                BootRecord ended = endNow ? r.withEnd(EndState.CRASH, clock.monoNanos(), utcNow(clock))
                        : r.withEnd(EndState.CRASH, r.endMono(), r.endUtc());
                return r.crash() != null ? ended : ended.withCrash(path);
            });
        } catch (NoSuchFileException | BootHistoryException noHistory) {
            // nothing to mark: the report itself is what matters
        }
    }

    private static String utcNow(LogClock clock) {
        return LineCodec.utcNow(clock);
    }

    /**
     * Writes a crash record out of a ring: the report to {@code crash/panics/<its boot>.log}, its
     * boot's history marked crashed. When that fails the record is {@linkplain #setAside set aside}
     * for the next start.
     *
     * @throws IOException only when it could neither be written nor set aside (the caller keeps it)
     */
    public static Result store(RootLayout layout, LogClock clock, byte[] payload) throws IOException {
        CrashReport report;
        try {
            report = decode(payload);
        } catch (CrashParseException e) {
            return new Result(null, null, null, "unreadable crash record: " + e.getMessage());
        }
        Path file;
        try {
            file = write(layout, report);
        } catch (IOException | RuntimeException e) {
            Path held = setAside(layout, report.bootId(), payload);
            return new Result(report.bootId(), null, held, "cannot write " + layout.relative(
                    layout.crashReport(report.bootId())) + ": " + e);
        }
        try {
            markCrashed(layout, clock, report.bootId(), file, false);
        } catch (IOException e) {
            return new Result(report.bootId(), file, null, "report written; history not marked: " + e);
        }
        return new Result(report.bootId(), file, null, null);
    }

    /**
     * Writes the crash records a start-up recovery found; never throws. A record that can be
     * neither written nor set aside is named in its result's problem (and then lost: both the
     * data partition and {@code run/} refuse writes).
     */
    public static List<Result> storeAll(RootLayout layout, LogClock clock, List<byte[]> payloads) {
        List<Result> out = new ArrayList<>();
        for (byte[] p : payloads) {
            try {
                out.add(store(layout, clock, p));
            } catch (IOException | RuntimeException e) {
                out.add(new Result(null, null, null, "crash record lost: cannot write it nor set it aside: " + e));
            }
        }
        return out;
    }

    /**
     * Puts one crash record into a ring file of its own under {@code run/rayos/ring/}, owned by
     * the crashed boot, and leaves it as a dead process leaves its ring: unlocked, not drained,
     * flushed. The next start recovers it like any orphan.
     *
     * @return the ring file
     */
    public static Path setAside(RootLayout layout, BootId boot, byte[] payload) throws IOException {
        Path file = layout.ringDir().resolve("crash-" + ProcessId.current() + "-"
                + SET_ASIDE.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()) + ".ring");
        long capacity = Math.max(RingFormat.MIN_CAPACITY, RingFormat.recordSize(payload.length));
        try (Ring ring = Ring.create(file, capacity, boot)) {
            ring.append(RingFormat.TYPE_CRASH, 0, RingFormat.FLAG_URGENT, payload, 0, payload.length);
        }
        return file;
    }

    /**
     * The last {@code n} log lines among a ring's records ({@link Ring#snapshot()}: whole records,
     * oldest first, laid out as in {@link RingFormat}), oldest first. Other records are skipped;
     * a record running past the end stops the walk.
     */
    public static List<String> lastLines(byte[] records, int n) {
        if (n <= 0) {
            return List.of();
        }
        ByteBuffer b = ByteBuffer.wrap(records).order(ByteOrder.LITTLE_ENDIAN);
        // Ring of the offsets of the last n line records, so a 4 MiB ring costs n ints, not a list.
        int[] offs = new int[n];
        int[] lens = new int[n];
        int count = 0;
        int off = 0;
        while (off + RingFormat.RECORD_HEADER <= records.length) {
            int len = RingFormat.recordLength(b, off);
            if (len < 0 || len > records.length - off - RingFormat.RECORD_HEADER) {
                break;
            }
            if (RingFormat.recordType(records, off) == RingFormat.TYPE_LINE) {
                offs[count % n] = RingFormat.payloadAt(off);
                lens[count % n] = len;
                count++;
            }
            off += RingFormat.recordSize(len);
        }
        List<String> out = new ArrayList<>(Math.min(count, n));
        for (int i = Math.max(0, count - n); i < count; i++) {
            out.add(new String(records, offs[i % n], lens[i % n], StandardCharsets.UTF_8));
        }
        return out;
    }
}
