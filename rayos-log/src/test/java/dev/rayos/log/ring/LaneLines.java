package dev.rayos.log.ring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Numbered log lines appended to a chosen lane, and read back by number: the lanes tests' vocabulary. */
final class LaneLines {
    private LaneLines() {}

    /** Line {@code n}, with {@code pad} bytes of padding when positive. */
    static byte[] line(long n, int pad) {
        return ("2026-12-07T18:00:00.000000Z INFO app TICK n=" + n + (pad > 0 ? " pad=" + "x".repeat(pad) : ""))
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends line {@code n} to {@code lane} as the log call does (framed in place); returns its order. */
    static long append(Ring r, int lane, long n, int pad) {
        byte[] p = line(n, pad);
        byte[] rec = new byte[RingFormat.RECORD_HEADER + p.length + 8];
        System.arraycopy(p, 0, rec, RingFormat.RECORD_HEADER, p.length);
        return r.appendFramed(lane, RingFormat.TYPE_LINE, 0, 0, rec, RingFormat.RECORD_HEADER, p.length);
    }

    /** The n= of each record in {@code length} bytes of whole records. */
    static List<Long> numbers(byte[] records, int length) {
        List<Long> out = new ArrayList<>();
        for (int at = 0; at < length; at += RingFormat.recordSize(RingFormat.recordLength(records, at))) {
            String text = new String(records, RingFormat.payloadAt(at), RingFormat.recordLength(records, at),
                    StandardCharsets.US_ASCII);
            int from = text.indexOf("n=") + 2;
            int to = text.indexOf(' ', from);
            out.add(Long.parseLong(text.substring(from, to < 0 ? text.length() : to)));
        }
        return out;
    }
}
