package dev.rayos.log.store;

import dev.rayos.log.root.BootId;
import dev.rayos.log.ring.RingImage;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many of a category's pending lines (the records a ring's header says never reached a file)
 * are in the files already, so that recovery writes each line once (docs/ring-format.md,
 * "Recovery").
 *
 * <p>The writer's lines are looked for, in order, from the last place it is known to have written
 * to: where the pass in progress announced its bytes would go (its intent), else after the last
 * committed line the ring still holds. After a process was killed, its lines there are the ones
 * its pass wrote before it died, and nothing of its own follows. After a power cut more may
 * follow: a ring left on a disk whose header page was written back before the store's later
 * writes reached their files has a header older than the files it describes, and a cut may keep
 * a later write and lose an earlier one. Lines
 * found there are counted in the order of the pending lines; lines that are none of them (another
 * process's, or a hole a power cut left) are passed over. Where no line of the writer's can be
 * found, nothing is counted: a line is written twice rather than lost.
 */
final class AlreadyInFiles {
    /** Bytes read beyond what the pending and kept lines take: room for other writers' lines after ours. */
    static final int MARGIN = 1 << 20;

    private AlreadyInFiles() {}

    /**
     * @param intent  the pass in progress's write of this category, or null
     * @param inPass  how many of {@code pending} (its first lines) that pass covers: what a file
     *                retention deleted held, not to be written again
     * @param kept    the category's committed lines the ring still holds, oldest first
     * @param pending the category's pending lines, in order
     * @return how many of {@code pending}, from the first, need not be written again
     */
    static int count(RootLayout layout, String category, BootId boot, RingImage.Intent intent, int inPass,
                     List<byte[]> kept, List<byte[]> pending) throws IOException {
        BootStream stream = BootStream.of(layout, category, boot);
        int budget = (int) Math.min(Integer.MAX_VALUE - 8, bytes(pending) + (kept.isEmpty() ? 0
                : kept.get(kept.size() - 1).length + 1) + (long) MARGIN);
        if (intent != null) {
            long at = stream.positionOf(intent.inode(), intent.offset());
            if (at < 0) {
                // The file is gone (retention deleted it): what it held is not ours to write again.
                return inPass;
            }
            return matchInOrder(lines(stream.read(at, budget), true), 0, pending, 0);
        }
        long from = Math.max(0, stream.size() - budget);
        List<byte[]> lines = lines(stream.read(from, budget), from == 0);
        int anchor = 0;
        if (!kept.isEmpty()) {
            byte[] last = kept.get(kept.size() - 1);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (Arrays.equals(lines.get(i), last)) {
                    anchor = i + 1;
                    break;
                }
            }
        }
        return matchInOrder(lines, anchor, pending, 0);
    }

    /**
     * Counts {@code pending} lines found among {@code lines[from..]}: each line found moves the count
     * to just past the first pending line at or after the count that it equals.
     */
    static int matchInOrder(List<byte[]> lines, int from, List<byte[]> pending, int already) {
        Map<ByteBuffer, List<Integer>> at = new HashMap<>();
        for (int j = already; j < pending.size(); j++) {
            at.computeIfAbsent(ByteBuffer.wrap(pending.get(j)), k -> new ArrayList<>()).add(j);
        }
        int k = already;
        for (int i = from; i < lines.size() && k < pending.size(); i++) {
            List<Integer> js = at.get(ByteBuffer.wrap(lines.get(i)));
            if (js == null) {
                continue;
            }
            for (int j : js) {
                if (j >= k) {
                    k = j + 1;
                    break;
                }
            }
        }
        return k;
    }

    /**
     * The whole lines of {@code bytes}: a last one without its line feed (torn) is left out, and so
     * is the first when {@code atLineStart} is false (it may be the end of a line). Bytes a hole left
     * (NUL) are dropped from the front of the line they run into.
     */
    static List<byte[]> lines(byte[] bytes, boolean atLineStart) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        boolean first = true;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                if (atLineStart || !first) {
                    int s = start;
                    for (int j = start; j < i; j++) {
                        if (bytes[j] == 0) {
                            s = j + 1;
                        }
                    }
                    out.add(Arrays.copyOfRange(bytes, s, i));
                }
                first = false;
                start = i + 1;
            }
        }
        return out;
    }

    private static long bytes(List<byte[]> lines) {
        long n = 0;
        for (byte[] l : lines) {
            n += l.length + 1;
        }
        return n;
    }
}
