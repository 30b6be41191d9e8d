package dev.rayos.log.crash;

import java.io.IOException;
import java.io.Reader;

/**
 * Splits text into lines with a hard cap on line length, so that a file of garbage without
 * a single newline cannot make a crash reader hold the whole file in memory.
 *
 * <p>Accepts LF, CRLF and a lone CR as line ends (serial consoles produce all three). A line
 * longer than the cap is cut at the cap; the rest of it is read and thrown away, and
 * {@link #lastWasTruncated()} says so.
 */
final class BoundedLineReader {
    private final Reader in;
    private final int maxChars;
    private final StringBuilder line = new StringBuilder();
    private boolean truncated;
    private boolean pendingCr;
    private long lineNumber;

    BoundedLineReader(Reader in, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        }
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its line end, or {@code null} at the end of the text. */
    String readLine() throws IOException {
        line.setLength(0);
        truncated = false;
        boolean any = false;
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (!any) {
                    return null;
                }
                break;
            }
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    continue; // second half of a CRLF that ended the previous line
                }
            }
            if (c == '\n') {
                break;
            }
            if (c == '\r') {
                pendingCr = true;
                break;
            }
            any = true;
            if (line.length() < maxChars) {
                line.append((char) c);
            } else {
                truncated = true;
            }
        }
        lineNumber++;
        return line.toString();
    }

    /** Whether the line last returned was longer than the cap and was cut. */
    boolean lastWasTruncated() {
        return truncated;
    }

    /** 1-based number of the line last returned. */
    long lineNumber() {
        return lineNumber;
    }
}
