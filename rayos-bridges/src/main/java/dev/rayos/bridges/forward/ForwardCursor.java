package dev.rayos.bridges.forward;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Where the forwarder stands in one category's log files: the next byte to send is {@code offset} in
 * the file of {@code boot} and part {@code part} (for the active {@code <boot>.log}: the part number
 * it gets when it rotates) whose inode is {@code inode}, after {@code line} lines of that file;
 * {@code seq} is the sequence number of the last line sent, in the stream {@code stream} (a random
 * id chosen when the category is first forwarded). One line of text ending in a CRC-32 of what
 * precedes it ({@code docs/bridges.md}, "Cursor").
 *
 * @param boot empty when nothing was sent yet (then part, inode, offset and line are 0)
 * @param line the lines of the file before {@code offset}: what was sent of it, so that when
 *     retention removes it unsent the lines lost are its recorded count less these
 */
record ForwardCursor(String stream, long seq, String boot, int part, long inode, long offset, long line) {
    static final String MAGIC = "rayos-forward-cursor/2";
    private static final String OLD = "rayos-forward-cursor/1 ";
    private static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern BOOT = Pattern.compile("[0-9a-f]{32}");
    private static final int MAX_BYTES = 512;

    /** A new stream with nothing sent. */
    static ForwardCursor fresh(String stream) {
        return new ForwardCursor(stream, 0, "", 0, 0, 0, 0);
    }

    boolean started() {
        return !boot.isEmpty();
    }

    ForwardCursor at(String boot, int part, long inode, long offset, long line, long seq) {
        return new ForwardCursor(stream, seq, boot, part, inode, offset, line);
    }

    byte[] encode() {
        String body = MAGIC + " stream=" + stream + " seq=" + seq + " boot=" + (boot.isEmpty() ? "-" : boot)
                + " part=" + part + " inode=" + inode + " offset=" + offset + " line=" + line;
        return (body + " crc=" + crc(body) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a cursor file's bytes; anything but a whole, intact cursor is a {@link CursorException}. */
    static ForwardCursor parse(byte[] data) throws CursorException {
        if (data.length == 0) {
            throw new CursorException("empty");
        }
        if (data.length > MAX_BYTES) {
            throw new CursorException("longer than " + MAX_BYTES + " bytes");
        }
        if (data[data.length - 1] != '\n') {
            throw new CursorException("no line feed at the end (torn)");
        }
        for (int i = 0; i < data.length - 1; i++) {
            if (data[i] < 0x20 || data[i] > 0x7e) {
                throw new CursorException("byte " + i + " is not printable ASCII");
            }
        }
        String text = new String(data, 0, data.length - 1, StandardCharsets.US_ASCII);
        if (text.startsWith(OLD)) {
            throw new CursorException("written by an older rayos (" + OLD.strip() + ", without line=)");
        }
        int c = text.lastIndexOf(" crc=");
        if (!text.startsWith(MAGIC + " ") || c < 0) {
            throw new CursorException("not a cursor (it starts '" + MAGIC + "' and ends ' crc=HEX8')");
        }
        String body = text.substring(0, c);
        if (!text.substring(c + 5).equals(crc(body))) {
            throw new CursorException("checksum does not match");
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String f : body.substring(MAGIC.length() + 1).split(" ", -1)) {
            int eq = f.indexOf('=');
            if (eq <= 0 || kv.put(f.substring(0, eq), f.substring(eq + 1)) != null) {
                throw new CursorException("field '" + f + "' is not KEY=VALUE or repeats");
            }
        }
        if (!List.copyOf(kv.keySet()).equals(List.of("stream", "seq", "boot", "part", "inode", "offset", "line"))) {
            throw new CursorException("fields are " + kv.keySet() + ", expected stream seq boot part inode offset line");
        }
        String stream = kv.get("stream");
        String boot = kv.get("boot");
        if (!HEX16.matcher(stream).matches()) {
            throw new CursorException("stream is not 16 hex digits");
        }
        if (!boot.equals("-") && !BOOT.matcher(boot).matches()) {
            throw new CursorException("boot is not a boot id (32 hex digits) or -");
        }
        long seq = number(kv, "seq");
        long part = number(kv, "part");
        long inode = number(kv, "inode");
        long offset = number(kv, "offset");
        long line = number(kv, "line");
        if (part > Integer.MAX_VALUE) {
            throw new CursorException("part is out of range");
        }
        if (boot.equals("-") && (part != 0 || inode != 0 || offset != 0 || line != 0)) {
            throw new CursorException("no boot but a position");
        }
        if (line > offset) {
            throw new CursorException("more lines than bytes before the offset");
        }
        return new ForwardCursor(stream, seq, boot.equals("-") ? "" : boot, (int) part, inode, offset, line);
    }

    private static long number(Map<String, String> kv, String key) throws CursorException {
        String v = kv.get(key);
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                || (v.length() > 1 && v.charAt(0) == '0')) {
            throw new CursorException(key + " is not a decimal number without leading zeros");
        }
        return Long.parseLong(v);
    }

    private static String crc(String body) {
        CRC32 c = new CRC32();
        c.update(body.getBytes(StandardCharsets.US_ASCII));
        return String.format("%08x", c.getValue());
    }
}
