package dev.rayos.log.store;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.ring.RingFormatException;
import dev.rayos.log.ring.RingImage;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes out what orphaned rings hold: the rings of processes that died (killed, crashed, powered
 * off before the store was mounted). Each record that never reached a file is appended to the log
 * of the boot and category it belongs to, exactly once and in order: a store pass that was in
 * progress left its intent in the ring header (file inode, offset, length), and the bytes already
 * at that place are compared with the records before anything is written again.
 */
public final class RingRecovery {
    /** What recovery did with one ring file. */
    public record Outcome(Path ring, BootId boot, long written, long alreadyInFiles, long corrupt, long lost,
                          List<RingImage.Record> crashRecords, String error) {}

    private RingRecovery() {}

    /**
     * Recovers every orphan in {@code ringDir} (rings whose owner no longer holds their lock).
     * Rings of live processes are left alone. Never throws for a bad ring; the outcome says.
     */
    public static List<Outcome> recoverOrphans(RootLayout layout, Policy policy, Path ringDir) throws IOException {
        return recoverOrphans(layout, policy, ringDir, e -> {
            throw e;
        });
    }

    /** Told that an orphan could not be written out (the store is broken); it may rethrow. */
    @FunctionalInterface
    public interface WriteOutFailure {
        void failed(IOException e) throws IOException;
    }

    /**
     * As {@link #recoverOrphans(RootLayout, Policy, Path)}, but a ring whose records cannot be
     * written (its category directory unwritable, the disk full) is left where it is, for the next
     * start to try again, and {@code failed} is told; the other rings are still recovered.
     */
    public static List<Outcome> recoverOrphans(RootLayout layout, Policy policy, Path ringDir, WriteOutFailure failed)
            throws IOException {
        List<Outcome> out = new ArrayList<>();
        if (!Files.isDirectory(ringDir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        layout.requireInside(ringDir);
        List<Path> rings = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ringDir, "*.ring")) {
            for (Path p : ds) {
                rings.add(p);
            }
        }
        rings.sort(null);
        for (Path p : rings) {
            try {
                Outcome o = recoverOne(layout, policy, p);
                if (o != null) {
                    out.add(o);
                }
            } catch (IOException e) {
                failed.failed(e); // the ring stays: recoverOne deletes it only once written out
            }
        }
        return out;
    }

    /** Recovers one ring file if it is an orphan; null when a live process owns it. */
    public static Outcome recoverOne(RootLayout layout, Policy policy, Path ring) throws IOException {
        try (FileChannel ch = lockOrphan(ring)) {
            if (ch == null) {
                return null;
            }
            long size = ch.size();
            if (size > RingFormat.HEADER + RingFormat.MAX_CAPACITY) {
                return setAside(ring, null, "ring file of " + size + " bytes is larger than any ring");
            }
            byte[] bytes = new byte[(int) size];
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining() && ch.read(bb, bb.position()) > 0) {
                // read all
            }
            RingImage image;
            try {
                image = RingImage.read(bytes);
            } catch (RingFormatException e) {
                return setAside(ring, null, e.getMessage());
            }
            Outcome o = writeOut(layout, policy, ring, image);
            Files.deleteIfExists(ring);
            return o;
        }
    }

    /**
     * The file at {@code ring} opened and locked when it is an orphan: a regular file that holds
     * something and whose lock nobody holds. Null when it is absent, a link or device, empty (a ring
     * being created: its owner opens the file, then locks it, and locking it in between would fail
     * that start), or locked by a live owner, this JVM included. Closing the channel lets the lock go.
     */
    public static FileChannel lockOrphan(Path ring) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(ring, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return null;
        }
        if (!a.isRegularFile() || a.size() == 0) {
            return null;
        }
        FileChannel ch = FileChannel.open(ring, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        try {
            if (ch.tryLock() != null) {
                return ch;
            }
        } catch (OverlappingFileLockException mine) {
            // a ring of this very JVM
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        ch.close();
        return null;
    }

    private static Outcome setAside(Path ring, BootId boot, String why) throws IOException {
        Files.move(ring, ring.resolveSibling(ring.getFileName() + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
        return new Outcome(ring, boot, 0, 0, 1, 0, List.of(), why);
    }

    /** Writes an image's pending records to their files, skipping what already reached them ({@link AlreadyInFiles}). */
    static Outcome writeOut(RootLayout layout, Policy policy, Path ring, RingImage image) throws IOException {
        BootId boot = image.boot();
        Map<Integer, RingImage.Intent> intents = new LinkedHashMap<>();
        for (RingImage.Intent i : image.intents()) {
            intents.put(i.category(), i);
        }
        // Lines per category in order; crash records apart.
        Map<String, List<byte[]>> byCategory = new LinkedHashMap<>();
        Map<String, Integer> indexOf = new LinkedHashMap<>();
        List<RingImage.Record> crashes = new ArrayList<>();
        long corrupt = image.corrupt();
        long skipped = 0;
        for (RingImage.Record r : image.pending()) {
            if (r.type() == RingFormat.TYPE_CRASH) {
                crashes.add(r);
                continue;
            }
            if (!isLine(r.payload())) {
                corrupt++;
                continue;
            }
            String cat = image.category(r.category());
            indexOf.putIfAbsent(cat, r.category());
            byCategory.computeIfAbsent(cat, k -> new ArrayList<>()).add(r.payload());
        }
        // The committed lines still held, per category: where the writer's lines last reached a file.
        Map<String, List<byte[]>> kept = new LinkedHashMap<>();
        for (RingImage.Record r : image.retained()) {
            if (r.type() == RingFormat.TYPE_LINE) {
                kept.computeIfAbsent(image.category(r.category()), k -> new ArrayList<>()).add(r.payload());
            }
        }
        long written = 0;
        for (Map.Entry<String, List<byte[]>> e : byCategory.entrySet()) {
            String cat = e.getKey();
            List<byte[]> lines = e.getValue();
            RingImage.Intent intent = intents.get(indexOf.get(cat));
            int inPass = 0;
            if (intent != null) {
                // Only records of the interrupted pass can be at its intent's place.
                for (RingImage.Record r : image.pending()) {
                    if (!image.inPass(r)) {
                        break; // merged by order, the pass's records come first
                    }
                    if (r.type() == RingFormat.TYPE_LINE && image.category(r.category()).equals(cat)
                            && inPass < lines.size() && Arrays.equals(r.payload(), lines.get(inPass))) {
                        inPass++;
                    }
                }
            }
            int already = AlreadyInFiles.count(layout, cat, boot, intent, inPass, kept.getOrDefault(cat, List.of()),
                    lines);
            skipped += already;
            written += append(layout, policy, cat, boot, lines.subList(already, lines.size()));
        }
        return new Outcome(ring, boot, written, skipped, corrupt, image.lost(), crashes, null);
    }

    /** True when a payload is one well-formed line (a forged or damaged record must not add lines). */
    private static boolean isLine(byte[] payload) {
        for (byte b : payload) {
            if (b == '\n' || b == '\r') {
                return false;
            }
        }
        try {
            LineCodec.parse(new String(payload, StandardCharsets.UTF_8));
            return true;
        } catch (LineParseException e) {
            return false;
        }
    }

    private static long append(RootLayout layout, Policy policy, String cat, BootId boot, List<byte[]> lines)
            throws IOException {
        if (lines.isEmpty()) {
            return 0;
        }
        Policy.Retention ret = policy.retention(cat);
        int budget = (int) Math.min(256 * 1024, ret.maxFileBytes() / 2);
        try (CategoryFile cf = new CategoryFile(layout, cat, boot, ret)) {
            int i = 0;
            while (i < lines.size()) {
                ByteBuffer chunk = ByteBuffer.allocate(Math.max(budget, lines.get(i).length + 1));
                while (i < lines.size() && chunk.remaining() >= lines.get(i).length + 1) {
                    chunk.put(lines.get(i)).put((byte) '\n');
                    i++;
                }
                chunk.flip();
                cf.lock();
                try {
                    cf.prepare(chunk.remaining());
                    cf.write(chunk);
                    cf.force();
                } finally {
                    cf.unlock();
                }
            }
        }
        return lines.size();
    }
}
