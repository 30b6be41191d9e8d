package dev.rayos.bridges.forward;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per category, the cursors of one connection back to one that lies {@code size} bytes before its
 * end: where to go back to when the connection breaks, since TCP syslog has no acknowledgements and
 * what the kernel had accepted may not have reached the collector ({@code docs/bridges.md},
 * "Guarantees").
 */
final class ReplayWindow {
    private record Checkpoint(ForwardCursor cursor, long at) {}

    private final long size;
    private final Map<String, ArrayDeque<Checkpoint>> window = new HashMap<>();
    private long connectionBytes;

    ReplayWindow(long size) {
        this.size = size;
    }

    /** A new connection: nothing sent on it yet. */
    void connected() {
        connectionBytes = 0;
        window.clear();
    }

    void sent(int bytes) {
        connectionBytes += bytes;
    }

    /** The category's cursor moved from {@code before} (null: none yet) to {@code now} after {@code sentBytes} more. */
    void moved(String category, ForwardCursor before, ForwardCursor now, int sentBytes) {
        ArrayDeque<Checkpoint> w = window.computeIfAbsent(category, k -> new ArrayDeque<>());
        if (w.isEmpty() && before != null) {
            w.add(new Checkpoint(before, connectionBytes - sentBytes));
        }
        w.add(new Checkpoint(now, connectionBytes));
        // keep the newest checkpoint that lies a whole window back, drop the older ones
        while (w.size() > 2) {
            Iterator<Checkpoint> it = w.iterator();
            it.next();
            if (connectionBytes - it.next().at() < size) {
                break;
            }
            w.poll();
        }
    }

    /** The connection broke: per category, the cursor to go back to; the window starts afresh. */
    Map<String, ForwardCursor> rewind() {
        Map<String, ForwardCursor> out = new HashMap<>();
        window.forEach((category, w) -> {
            if (!w.isEmpty()) {
                out.put(category, w.peekFirst().cursor());
            }
        });
        window.clear();
        return out;
    }
}
