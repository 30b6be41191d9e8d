package dev.rayos.log.ring;

import java.util.ArrayList;
import java.util.List;

/**
 * What the ring should hold, kept the plain way: a list of records with their sizes, no offsets
 * modulo anything, no bytes. {@link RingModelTest} drives the real mapped {@link Ring} and this
 * side by side; where they disagree, the ring is wrong (or this page of the spec is).
 *
 * <p>The rules, from docs/ring-format.md: a record takes {@link RingFormat#recordSize} bytes of a
 * circle of {@code capacity}; committed records stay until their space is needed; before the
 * store is mounted the oldest uncommitted record is dropped (and counted lost) to make room;
 * once mounted a producer waits instead, so the model refuses such an append.
 */
final class RingModel {
    record Rec(long seq, int size, int category, int flags, String text) {}

    final long capacity;
    final List<Rec> held = new ArrayList<>(); // oldest first
    int committed; // the first `committed` of `held` reached their files
    long nextSeq;
    long lost;
    boolean mounted;

    RingModel(long capacity) {
        this.capacity = capacity;
    }

    long used() {
        return held.stream().mapToLong(Rec::size).sum();
    }

    /** Bytes an append may take without waiting, once mounted (committed records can go). */
    long freeWithoutWaiting() {
        long pendingBytes = pending().stream().mapToLong(Rec::size).sum();
        return capacity - pendingBytes;
    }

    /** Absolute offset of the next record (the ring's head); needed only to aim at the wrap. */
    long head;

    /** False when the append would have to wait for the drainer (mounted, full of pending). */
    boolean wouldWait(int size) {
        return mounted && size > freeWithoutWaiting();
    }

    void append(int size, int category, int flags, String text) {
        while (used() + size > capacity) {
            if (committed > 0) {
                held.remove(0);
                committed--;
            } else if (mounted) {
                throw new IllegalStateException("the model would wait here; the test must not ask");
            } else {
                held.remove(0);
                lost++;
            }
        }
        held.add(new Rec(nextSeq++, size, category, flags, text));
        head += size;
    }

    List<Rec> retained() {
        return List.copyOf(held.subList(0, committed));
    }

    List<Rec> pending() {
        return List.copyOf(held.subList(committed, held.size()));
    }

    /** The batch a drainer reads: pending records from the oldest, at most max bytes, at least one. */
    List<Rec> batch(int max) {
        List<Rec> out = new ArrayList<>();
        long bytes = 0;
        for (Rec r : pending()) {
            if (!out.isEmpty() && bytes + r.size() > max) {
                break;
            }
            out.add(r);
            bytes += r.size();
        }
        return out;
    }

    void commit(int records) {
        committed += records;
    }

    /** A new process: a fresh ring at the same place. */
    void restart(boolean mountedNow) {
        held.clear();
        committed = 0;
        nextSeq = 0;
        lost = 0;
        head = 0;
        mounted = mountedNow;
    }
}
