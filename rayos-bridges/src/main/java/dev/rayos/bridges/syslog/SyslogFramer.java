package dev.rayos.bridges.syslog;

/**
 * Cuts a syslog byte stream into frames (RFC 6587): octet counting ({@code LEN SP MSG}) when a
 * frame starts with a digit and the digits end in a space, else non-transparent framing ended by
 * LF (or NUL, as glibc's syslog(3) ends its messages on a stream socket). The choice is made per
 * frame, as rsyslog does, so one connection may mix both.
 *
 * <p>A frame longer than {@link #MAX_FRAME} is handed over cut to that length and marked truncated,
 * and the rest of it is skipped: memory per connection stays bounded, the listener never stops, and
 * the tail of an oversized frame never becomes a frame of its own (which would let a sender forge
 * a message by padding). One framer per connection; not thread-safe.
 */
final class SyslogFramer {
    /** The longest frame kept, in bytes; the RayOS line limit is 64 KiB. */
    static final int MAX_FRAME = 64 * 1024;
    private static final int MAX_COUNT_DIGITS = 7;

    /** Receives each frame; the array is reused after the call returns. */
    interface Sink {
        void frame(byte[] buf, int off, int len, boolean truncated);
    }

    private enum State { START, COUNT, OCTETS, LINE, SKIP_LINE, SKIP_OCTETS }

    private final Sink sink;
    private final byte[] buf;
    private int len;
    private State state = State.START;
    private long count;
    private long truncatedFrames;

    SyslogFramer(Sink sink) {
        this(sink, MAX_FRAME);
    }

    SyslogFramer(Sink sink, int maxFrame) {
        this.sink = sink;
        this.buf = new byte[maxFrame];
    }

    /** Frames cut short because they were longer than the limit. */
    long truncatedFrames() {
        return truncatedFrames;
    }

    void feed(byte[] in, int off, int n) {
        for (int i = off; i < off + n; i++) {
            byte x = in[i];
            switch (state) {
                case START:
                    if (x == '\n' || x == 0 || x == '\r') {
                        break; // empty frames and stray terminators carry nothing
                    }
                    len = 0;
                    count = 0;
                    if (x >= '1' && x <= '9') {
                        state = State.COUNT;
                        count = x - '0';
                        buf[len++] = x;
                    } else {
                        state = State.LINE;
                        buf[len++] = x;
                    }
                    break;
                case COUNT:
                    if (x >= '0' && x <= '9' && len < MAX_COUNT_DIGITS) {
                        count = count * 10 + (x - '0');
                        buf[len++] = x;
                    } else if (x == ' ') {
                        len = 0;
                        state = State.OCTETS;
                    } else {
                        state = State.LINE; // not a count after all: an LF-framed message starting with digits
                        line(x);
                    }
                    break;
                case OCTETS:
                    buf[len++] = x;
                    if (--count == 0) {
                        emit(false);
                    } else if (len == buf.length) {
                        truncatedFrames++;
                        sink.frame(buf, 0, len, true);
                        len = 0;
                        state = State.SKIP_OCTETS;
                    }
                    break;
                case SKIP_OCTETS:
                    if (--count == 0) {
                        state = State.START;
                    }
                    break;
                case LINE:
                    line(x);
                    break;
                case SKIP_LINE:
                    if (x == '\n' || x == 0) {
                        state = State.START;
                    }
                    break;
                default:
                    throw new AssertionError(state);
            }
        }
    }

    private void line(byte x) {
        if (x == '\n' || x == 0) {
            int n = len;
            if (n > 0 && buf[n - 1] == '\r') {
                n--;
            }
            len = n;
            emit(false);
            return;
        }
        if (len == buf.length) {
            truncatedFrames++;
            sink.frame(buf, 0, len, true);
            len = 0;
            state = State.SKIP_LINE;
            return;
        }
        buf[len++] = x;
    }

    private void emit(boolean truncated) {
        if (len > 0) {
            sink.frame(buf, 0, len, truncated);
        }
        len = 0;
        state = State.START;
    }

    /** The stream ended: a frame in progress is handed over (cut short if its count was not reached). */
    void end() {
        switch (state) {
            case LINE:
            case COUNT:
                emit(false);
                break;
            case OCTETS:
                if (len > 0) {
                    truncatedFrames++;
                    sink.frame(buf, 0, len, true);
                }
                break;
            default:
                break;
        }
        len = 0;
        state = State.START;
    }
}
