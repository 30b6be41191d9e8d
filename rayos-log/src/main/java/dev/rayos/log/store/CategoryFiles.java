package dev.rayos.log.store;

import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The category files of one drainer and the bytes of the current pass bound for each: lines are
 * gathered per category ({@link #add}), then each category's bytes go to its file in one write
 * under the file's lock, after the pass's intent for that file is in the ring header
 * ({@link #writeAll}): that intent is what lets the next start tell a write that reached the file
 * from one that did not, so recovery writes every record exactly once.
 */
final class CategoryFiles {
    private final Ring ring;
    private final RootLayout layout;
    private final BootId boot;
    private final Policy policy;
    private final Syncer syncer;
    private final int bufferBytes;
    private final CategoryFile[] files = new CategoryFile[RingFormat.MAX_CATEGORIES];
    private final ByteBuffer[] pending = new ByteBuffer[RingFormat.MAX_CATEGORIES];
    private int used; // bit per category with bytes in this pass

    CategoryFiles(Ring ring, RootLayout layout, BootId boot, Policy policy, Syncer syncer, int bufferBytes) {
        this.ring = ring;
        this.layout = layout;
        this.boot = boot;
        this.policy = policy;
        this.syncer = syncer;
        this.bufferBytes = bufferBytes;
    }

    /** Adds one line (without its newline) of category {@code cat} to the pass. */
    void add(int cat, byte[] src, int off, int len) {
        ByteBuffer b = pending[cat];
        if (b == null) {
            b = ByteBuffer.allocateDirect(bufferBytes);
            pending[cat] = b;
        }
        b.put(src, off, len).put((byte) '\n');
        used |= 1 << cat;
    }

    /** Writes each category's bytes of the pass to its file; the syncer is told which files to fsync. */
    void writeAll() throws IOException {
        for (int cat = 0; cat < RingFormat.MAX_CATEGORIES; cat++) {
            if ((used & (1 << cat)) == 0) {
                continue;
            }
            ByteBuffer cb = pending[cat];
            cb.flip();
            CategoryFile cf = file(cat);
            cf.lock();
            try {
                long at = cf.prepare(cb.remaining());
                ring.intent(cat, cf.inode(), at, cb.remaining());
                cf.write(cb);
                syncer.dirty(cf.channel());
            } finally {
                cf.unlock();
            }
        }
    }

    /** Forgets the pass (written, or failed and to be retried from the ring). */
    void clear() {
        used = 0;
        for (ByteBuffer cb : pending) {
            if (cb != null) {
                cb.clear();
            }
        }
    }

    private CategoryFile file(int cat) throws IOException {
        CategoryFile f = files[cat];
        if (f == null) {
            String name = ring.category(cat);
            f = new CategoryFile(layout, name, boot, policy.retention(name), syncer::retire);
            files[cat] = f;
        }
        return f;
    }

    /** Closes the files once the drainer and the syncer have stopped; the first failure is thrown. */
    void close() throws IOException {
        IOException first = null;
        for (CategoryFile f : files) {
            if (f != null) {
                try {
                    f.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
