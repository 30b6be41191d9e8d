package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.CategoryFile;
import dev.rayos.log.store.RingRecovery;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A drainer that dies in the middle of a store pass: after recording its intent, having written
 * some of the batch (the last line perhaps torn), before committing. The next start must leave every
 * line in the file exactly once, in order.
 */
class ExactlyOnceRecoveryTest {
    @TempDir
    Path root;

    @ParameterizedTest(name = "{0} whole lines written, torn={1}")
    @CsvSource({"0,false", "0,true", "4,false", "4,true", "9,true", "10,false"})
    void aPassCutShortAnywhereIsCompletedWithoutDuplicates(int whole, boolean torn) throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        Ring ring = Ring.create(layout.ringDir().resolve("1.ring"), 64 * 1024, boot);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String l = "2026-11-27T10:00:00." + String.format("%06d", i) + "Z INFO kernel TICK i=" + i;
            lines.add(l);
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            ring.append(RingFormat.TYPE_LINE, 0, 0, b, 0, b.length);
        }
        ring.mount();
        // Another process wrote to the same file before this pass began.
        Files.createDirectories(layout.categoryDir("boot"));
        Files.writeString(layout.logFile("boot", boot), "2026-11-27T09:59:59.000000Z INFO other BEFORE\n");

        ByteBuffer batch = ByteBuffer.allocate(4096);
        for (String l : lines) {
            batch.put((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        batch.flip();
        int wholeBytes = 0;
        for (int i = 0; i < whole; i++) {
            wholeBytes += lines.get(i).length() + 1;
        }
        int cut = wholeBytes + (torn && whole < 10 ? lines.get(whole).length() / 2 : 0);
        try (CategoryFile cf = new CategoryFile(layout, "boot", boot, Policy.DEFAULTS.retention("boot"))) {
            cf.lock();
            long at = cf.prepare(batch.remaining());
            ring.beginPass(ring.read(0, 0, new byte[8192], 8192).endPos(), 10);
            ring.intent(0, cf.inode(), at, batch.remaining());
            cf.write(batch.slice().limit(cut));
            cf.unlock();
        }
        ring.abandon(); // killed here: the pass is neither finished nor committed

        List<RingRecovery.Outcome> out = RingRecovery.recoverOrphans(layout, Policy.DEFAULTS, layout.ringDir());
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.alreadyInFiles()).isEqualTo(whole);
            assertThat(o.written()).isEqualTo(10 - whole);
        });
        List<String> expected = new ArrayList<>();
        expected.add("2026-11-27T09:59:59.000000Z INFO other BEFORE");
        expected.addAll(lines);
        assertThat(Files.readAllLines(layout.logFile("boot", boot))).containsExactlyElementsOf(expected);
    }

    /** One store pass as the drainer makes it, over every pending record; {@code header} sees the ring mid-pass. */
    private static void pass(Ring ring, CategoryFile cf, Runnable beforeWrite) throws Exception {
        byte[] staging = new byte[64 * 1024];
        Ring.Batch b = ring.read(ring.commitPos(), ring.commitSeq(), staging, staging.length);
        ByteBuffer out = ByteBuffer.allocate(b.length());
        ByteBuffer v = ByteBuffer.wrap(staging).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < b.length(); off += RingFormat.recordSize(v.getInt(off))) {
            out.put(staging, off + RingFormat.RECORD_HEADER, v.getInt(off)).put((byte) '\n');
        }
        out.flip();
        ring.beginPass(b.endPos(), b.endSeq());
        cf.lock();
        try {
            long at = cf.prepare(out.remaining());
            ring.intent(0, cf.inode(), at, out.remaining());
            beforeWrite.run();
            cf.write(out);
        } finally {
            cf.unlock();
        }
        ring.commit(b.endPos(), b.endSeq());
    }

    private static String line(int i) {
        return "2026-11-27T10:00:00." + String.format("%06d", i) + "Z INFO kernel TICK i=" + i;
    }

    private static void append(Ring ring, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        ring.append(RingFormat.TYPE_LINE, 0, 0, b, 0, b.length);
    }

    /**
     * A ring left on a disk when the power went: its header page reached the disk before the
     * store's later passes reached the file (mid-way through the second pass, or before it began).
     * The lines those passes wrote look pending; none may be written twice.
     */
    @ParameterizedTest(name = "header page from {0}")
    @CsvSource({"before the second pass", "the second pass's intent"})
    void aHeaderOlderThanTheFileWritesNoLineTwice(String when) throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        Path ringFile = layout.ringDir().resolve("1.ring");
        Ring ring = Ring.create(ringFile, 64 * 1024, boot);
        ring.mount();
        byte[][] header = new byte[1][];
        Runnable keepHeader = () -> {
            try {
                header[0] = java.util.Arrays.copyOf(Files.readAllBytes(ringFile), RingFormat.HEADER);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try (CategoryFile cf = new CategoryFile(layout, "boot", boot, Policy.DEFAULTS.retention("boot"))) {
            for (int i = 0; i < 5; i++) {
                append(ring, line(i));
            }
            pass(ring, cf, () -> { });
            for (int i = 5; i < 12; i++) {
                append(ring, line(i));
            }
            if (when.startsWith("before")) {
                keepHeader.run();
                pass(ring, cf, () -> { });
            } else {
                pass(ring, cf, keepHeader);
            }
        }
        ring.abandon();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(ringFile,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(header[0]), 0);
        }

        List<RingRecovery.Outcome> out = RingRecovery.recoverOrphans(layout, Policy.DEFAULTS, layout.ringDir());

        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.alreadyInFiles()).as("lines 5 to 11, pending in that header").isEqualTo(7);
            assertThat(o.written()).isZero();
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            expected.add(line(i));
        }
        assertThat(Files.readAllLines(layout.logFile("boot", boot))).containsExactlyElementsOf(expected);
    }

    /**
     * A writer killed with a line pending that is byte for byte the line it committed before (the
     * same event twice in one microsecond): the pending one never reached the file, and is written.
     */
    @org.junit.jupiter.api.Test
    void aKilledWritersPendingLineIdenticalToItsLastWrittenOneIsStillWritten() throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        Ring ring = Ring.create(layout.ringDir().resolve("1.ring"), 64 * 1024, boot);
        ring.mount();
        try (CategoryFile cf = new CategoryFile(layout, "boot", boot, Policy.DEFAULTS.retention("boot"))) {
            append(ring, line(0));
            append(ring, line(1));
            pass(ring, cf, () -> { });
            append(ring, line(1));
            append(ring, line(1));
        }
        ring.abandon();

        List<RingRecovery.Outcome> out = RingRecovery.recoverOrphans(layout, Policy.DEFAULTS, layout.ringDir());

        assertThat(out).singleElement().satisfies(o -> assertThat(o.written()).isEqualTo(2));
        assertThat(Files.readAllLines(layout.logFile("boot", boot))).containsExactly(line(0), line(1), line(1), line(1));
    }
}
