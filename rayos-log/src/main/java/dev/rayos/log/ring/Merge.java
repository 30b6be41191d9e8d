package dev.rayos.log.ring;

import static dev.rayos.log.ring.RingFormat.*;

/**
 * The lanes of a live ring read back as one stream, in the order the records were appended: what
 * the drainer writes out and a crash report's last lines come from.
 *
 * <p>A reader first takes a <em>cut</em>: every lane's lock at once, for a moment. A producer
 * takes its record's order and publishes the record within its lane's lock, so at the cut no
 * order below the counter is still being written: each lane's records up to its head are all the
 * records below the counter there will ever be (lost ones aside). Merged by order, a record is
 * taken only when no lane can still hold an earlier one, so a line a thread logged after reading
 * another thread's effect is never written before the cause.
 */
final class Merge {
    private Merge() {}

    static Ring.Pass read(Ring ring, Lane[] lanes, Orders orders, long[] from, byte[] staging, int max) {
        int n = lanes.length;
        long[] start = new long[n];
        long[] seq = new long[n];
        long[] head = new long[n];
        int[] copied = new int[n];
        // The commit cursors move only in the drainer once mounted, and producers never write
        // between them and head then: those bytes may be copied after the cut. The console's
        // reading before the mount is overtaken by overwriting, so it copies within the cut.
        boolean copyInCut = from != null || !ring.isMounted();
        long cut;
        int busy;
        int only = -1;
        byte[][] copies = new byte[n][];
        lockAll(lanes);
        try {
            cut = orders.current();
            busy = 0;
            for (int i = 0; i < n; i++) {
                Lane l = lanes[i];
                start[i] = from == null ? l.commitPos() : l.readableFrom(from[i]);
                seq[i] = l.seqAt(start[i]); // at the commit cursor: the commit seq
                head[i] = l.head();
                if (head[i] > start[i]) {
                    busy++;
                    only = i;
                }
            }
            if (copyInCut) {
                copy(ring, lanes, start, head, staging, max, busy, only, copies, copied);
            }
        } finally {
            unlockAll(lanes);
        }
        if (!copyInCut) {
            copy(ring, lanes, start, head, staging, max, busy, only, copies, copied);
        }
        long[] endPos = start.clone();
        if (busy <= 1) {
            // One lane with records (one thread logging): they go as they are, no merge.
            int len = only < 0 ? 0 : copied[only];
            long last = -1;
            for (int at = 0; at < len; at += recordSize(recordLength(staging, at))) {
                last = fullOrder(recordOrder(staging, at), cut);
                seq[only]++;
            }
            if (only >= 0) {
                endPos[only] += len;
            }
            return new Ring.Pass(endPos, seq, only < 0 || endPos[only] == head[only] ? cut : last + 1, len);
        }
        return merge(copies, copied, start, head, cut, staging, max, endPos, seq);
    }

    /**
     * Copies each busy lane's records: straight into the staging array when one lane is busy,
     * else a share of {@code max} each into the lanes' copies, for the merge.
     */
    private static void copy(Ring ring, Lane[] lanes, long[] start, long[] head, byte[] staging, int max, int busy,
                             int only, byte[][] copies, int[] copied) {
        if (busy <= 1) {
            if (only >= 0) {
                copied[only] = lanes[only].copyRecords(start[only], head[only], staging, max);
            }
            return;
        }
        int share = Math.max(RECORD_HEADER, max / busy);
        for (int i = 0; i < lanes.length; i++) {
            if (head[i] > start[i]) {
                // A copy the size of the share (not of the largest record, a megabyte per lane);
                // a first record larger than it (a crash report) grows the lane's copy.
                copies[i] = ring.laneCopy(i, Math.max(share, lanes[i].recordSizeAt(start[i])));
                copied[i] = lanes[i].copyRecords(start[i], head[i], copies[i], share);
            }
        }
    }

    /** Merges the lanes' copies by order into {@code staging} while no uncopied record can come first. */
    private static Ring.Pass merge(byte[][] copies, int[] copied, long[] start, long[] head, long cut, byte[] staging,
                                   int max, long[] endPos, long[] seq) {
        int n = copies.length;
        int[] at = new int[n];
        long[] next = new long[n]; // the order of each lane's next copied record; MAX_VALUE when none
        for (int i = 0; i < n; i++) {
            next[i] = copied[i] > 0 ? fullOrder(recordOrder(copies[i], 0), cut) : Long.MAX_VALUE;
        }
        int out = 0;
        long last = -1;
        while (true) {
            int best = -1;
            long bestOrder = Long.MAX_VALUE;
            long second = Long.MAX_VALUE; // the next order of any other lane: the run from best ends below it
            for (int i = 0; i < n; i++) {
                if (next[i] < bestOrder) {
                    second = bestOrder;
                    best = i;
                    bestOrder = next[i];
                } else if (next[i] < second) {
                    second = next[i];
                }
            }
            for (int i = 0; i < n; i++) {
                if (next[i] == Long.MAX_VALUE && start[i] + copied[i] < head[i]) {
                    // This lane's next record was not copied: nothing after the last taken may go.
                    return new Ring.Pass(endPos, seq, last + 1, out);
                }
            }
            if (best < 0) {
                return new Ring.Pass(endPos, seq, cut, out); // every lane taken up to its head
            }
            byte[] c = copies[best];
            int from = at[best];
            int size = recordSize(recordLength(c, from));
            if (out > 0 && out + size > max) {
                return new Ring.Pass(endPos, seq, bestOrder, out);
            }
            // A run of the lane's records below every other lane's next goes in one copy.
            int p = from;
            long o = bestOrder;
            while (true) {
                last = o;
                p += size;
                seq[best]++;
                if (p >= copied[best]) {
                    o = Long.MAX_VALUE;
                    break;
                }
                o = fullOrder(recordOrder(c, p), cut);
                // No budget check here: a lane's copy is at most its share of max, or one record
                // larger than it, so a run never takes the pass past max.
                if (o >= second) {
                    break;
                }
                size = recordSize(recordLength(c, p));
            }
            System.arraycopy(c, from, staging, out, p - from);
            out += p - from;
            endPos[best] += p - from;
            at[best] = p;
            next[best] = o;
        }
    }

    /** Every record the lanes hold, committed or not, merged by order into one array of whole records. */
    static byte[] snapshot(Lane[] lanes, Orders orders) {
        byte[][] held = new byte[lanes.length][];
        long cut;
        lockAll(lanes);
        try {
            cut = orders.current();
            for (int i = 0; i < lanes.length; i++) {
                held[i] = lanes[i].heldLocked();
            }
        } finally {
            unlockAll(lanes);
        }
        int total = 0;
        for (byte[] h : held) {
            total += h.length;
        }
        byte[] out = new byte[total];
        int[] at = new int[lanes.length];
        int o = 0;
        while (true) {
            int best = -1;
            long bestOrder = 0;
            for (int i = 0; i < held.length; i++) {
                if (at[i] < held[i].length) {
                    long ord = fullOrder(recordOrder(held[i], at[i]), cut);
                    if (best < 0 || ord < bestOrder) {
                        best = i;
                        bestOrder = ord;
                    }
                }
            }
            if (best < 0) {
                return out;
            }
            int size = recordSize(recordLength(held[best], at[best]));
            System.arraycopy(held[best], at[best], out, o, size);
            o += size;
            at[best] += size;
        }
    }

    private static void lockAll(Lane[] lanes) {
        for (Lane l : lanes) {
            l.lock.lock();
        }
    }

    private static void unlockAll(Lane[] lanes) {
        for (int i = lanes.length - 1; i >= 0; i--) {
            lanes[i].lock.unlock();
        }
    }
}
