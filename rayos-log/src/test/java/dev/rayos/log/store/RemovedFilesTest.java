package dev.rayos.log.store;

import dev.rayos.log.root.LogFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What retention records of the files it removes, for a forwarder to count the lines it can no longer send. */
class RemovedFilesTest {
    private static final String KEEP_THREE = "retention.max_files = 3\nretention.max_file_size = 128KiB\n";

    @TempDir
    Path root;

    private void write(RootLayout layout, BootId boot, int from, int to) throws Exception {
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).policy(Policy.parse(KEEP_THREE))
                .console(OutputStream.nullOutputStream()).open()) {
            for (int n = from; n < to; n++) {
                sys.logger("app").info("LINE").kv("n", n).kv("text", "x".repeat(n % 40)).log();
            }
        }
    }

    private long linesLeft(RootLayout layout) throws Exception {
        long n = 0;
        try (Stream<Path> s = Files.list(layout.categoryDir("boot"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".log")).toList()) {
                for (String l : Files.readString(f, StandardCharsets.UTF_8).split("\n")) {
                    assertThat(l).as("only the test's lines are in the files").contains(" app LINE n=");
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void retentionRecordsEveryFileItRemovesWithItsLinesWhileAForwarderFollowsTheCategory() throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        write(layout, boot, 0, 8000);
        assertThat(layout.removedRecords("boot")[1]).as("no forwarder yet: nothing recorded").doesNotExist();
        long before = linesLeft(layout);
        assertThat(before).as("retention removed files").isLessThan(8000);

        Files.createDirectories(layout.forwardDir());
        Files.writeString(layout.forwardCursor("boot"), "a forwarder follows boot\n");
        BootId next = BootId.random();
        write(layout, next, 8000, 20000);
        RemovedFiles.Read r = RemovedFiles.read(layout, "boot");
        assertThat(r.damaged()).isZero();
        assertThat(r.entries()).as("files removed while followed").hasSizeGreaterThan(5);
        long recorded = r.entries().stream().mapToLong(RemovedFiles.Entry::lines).sum();
        assertThat(recorded + linesLeft(layout)).as("every line is in a file left or in the record's count")
                .isEqualTo(before + 12000);
        assertThat(r.entries().get(0).boot()).as("the first boot's files went first").isEqualTo(boot.hex());
        assertThat(r.entries()).extracting(RemovedFiles.Entry::part).contains(0); // the first boot's <boot>.log
        for (RemovedFiles.Entry e : r.entries()) {
            assertThat(e.size()).isBetween(e.lines(), 128L * 1024);
            assertThat(e.inode()).isPositive();
        }
    }

    @Test
    void theRecordRollsOverAt64KiBKeepingTheNewerHalfAndATornAppendSpoilsOnlyItself() throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.forwardDir());
        Files.writeString(layout.forwardCursor("boot"), "x\n");
        Path dir = Files.createDirectories(layout.categoryDir("boot"));
        String boot = BootId.random().hex();
        int n = 0;
        while (!Files.exists(layout.removedRecords("boot")[0])) {
            Path f = dir.resolve(boot + "." + (++n) + ".log");
            Files.writeString(f, "one\n\ntwo\nthree without a line feed");
            assertThat(RemovedFiles.remove(layout, "boot", segment(f, boot, n))).isTrue();
            assertThat(f).doesNotExist();
        }
        assertThat(Files.size(layout.removedRecords("boot")[0])).isGreaterThan(RemovedFiles.ROLL_BYTES);
        Files.writeString(layout.removedRecords("boot")[1], "rayos-removed/1 boot=" + boot + " par",
                java.nio.file.StandardOpenOption.APPEND); // a crash mid-append
        Path f = dir.resolve(boot + "." + (++n) + ".log");
        Files.writeString(f, "a\n");
        RemovedFiles.remove(layout, "boot", segment(f, boot, n));
        RemovedFiles.Read r = RemovedFiles.read(layout, "boot");
        assertThat(r.damaged()).isEqualTo(1);
        assertThat(r.entries()).as("every removal, in both halves").hasSize(n);
        assertThat(r.entries().get(0).lines()).as("empty lines are no lines; a last one without its line feed is").isEqualTo(3);
        assertThat(r.entries().get(r.entries().size() - 1)).isEqualTo(new RemovedFiles.Entry(boot, n,
                r.entries().get(r.entries().size() - 1).inode(), 2, 1));
    }

    @Test
    void aFileGoneBeforeItsRemovalIsNeitherRecordedNorAnError() throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.forwardDir());
        Files.writeString(layout.forwardCursor("boot"), "x\n");
        Path dir = Files.createDirectories(layout.categoryDir("boot"));
        String boot = BootId.random().hex();
        assertThat(RemovedFiles.remove(layout, "boot", segment(dir.resolve(boot + ".1.log"), boot, 1))).isFalse();
        assertThat(RemovedFiles.read(layout, "boot").entries()).isEmpty();
    }

    @Test
    void linesAreCountedAsAForwarderSendsThem() throws Exception {
        for (Object[] c : List.of(new Object[] {"", 0L}, new Object[] {"\n\n\n", 0L}, new Object[] {"a", 1L},
                new Object[] {"a\nb\n", 2L}, new Object[] {"a\n\nb", 2L}, new Object[] {"x".repeat(200_000) + "\ny\n", 2L})) {
            Path f = root.resolve("f");
            Files.writeString(f, (String) c[0]);
            assertThat(RemovedFiles.count(f)).as((String) c[0]).containsExactly(((String) c[0]).length(), (long) c[1]);
        }
    }

    private static RootLayout followed(Path root) throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.forwardDir());
        Files.writeString(layout.forwardCursor("boot"), "x\n");
        Files.createDirectories(layout.categoryDir("boot"));
        return layout;
    }

    @Test
    void theRecordHoldsOneLinePerRemovalAndNothingElse() throws Exception {
        RootLayout layout = followed(root);
        Path dir = layout.categoryDir("boot");
        String boot = BootId.random().hex();
        StringBuilder expected = new StringBuilder();
        for (int n = 1; n <= 3; n++) {
            Path f = dir.resolve(boot + "." + n + ".log");
            Files.writeString(f, "a\n".repeat(n));
            long inode = LogFiles.inodeOf(f);
            assertThat(RemovedFiles.remove(layout, "boot", segment(f, boot, n))).isTrue();
            expected.append(RemovedFiles.encode(new RemovedFiles.Entry(boot, n, inode, 2L * n, n)));
        }
        assertThat(Files.readString(layout.removedRecords("boot")[1])).isEqualTo(expected.toString());
    }

    @Test
    void anEmptyRecordLeftByACrashBeforeItsFirstAppendIsAppendedTo() throws Exception {
        RootLayout layout = followed(root);
        Files.createFile(layout.removedRecords("boot")[1]);
        String boot = BootId.random().hex();
        Path f = Files.writeString(layout.categoryDir("boot").resolve(boot + ".1.log"), "a\n");
        long inode = LogFiles.inodeOf(f);

        assertThat(RemovedFiles.remove(layout, "boot", segment(f, boot, 1))).isTrue();

        assertThat(Files.readString(layout.removedRecords("boot")[1]))
                .isEqualTo(RemovedFiles.encode(new RemovedFiles.Entry(boot, 1, inode, 2, 1)));
    }

    /** A record line of exactly {@code length} bytes, its line feed included. */
    private static String recordLine(String boot, int length) {
        long[] fields = new long[3]; // inode, size, lines: a digit added to each in turn
        String l = RemovedFiles.encode(new RemovedFiles.Entry(boot, 1, 0, 0, 0));
        int i = 0;
        while (l.length() < length) {
            fields[i % 3] = fields[i % 3] * 10 + 9;
            i++;
            l = RemovedFiles.encode(new RemovedFiles.Entry(boot, 1, fields[0], fields[1], fields[2]));
        }
        assertThat(l).hasSize(length);
        return l;
    }

    @Test
    void aRecordOfExactly64KiBIsAppendedToAndOnlyALargerOneRollsOver() throws Exception {
        RootLayout layout = followed(root);
        String boot = BootId.random().hex();
        int base = RemovedFiles.encode(new RemovedFiles.Entry(boot, 1, 0, 0, 0)).length();
        StringBuilder record = new StringBuilder();
        while (RemovedFiles.ROLL_BYTES - record.length() > 3L * base + 60) {
            record.append(recordLine(boot, base));
        }
        int left = (int) (RemovedFiles.ROLL_BYTES - record.length());
        record.append(recordLine(boot, left / 2)).append(recordLine(boot, left - left / 2));
        Files.writeString(layout.removedRecords("boot")[1], record);
        assertThat(Files.size(layout.removedRecords("boot")[1])).isEqualTo(RemovedFiles.ROLL_BYTES);

        Path f = Files.writeString(layout.categoryDir("boot").resolve(boot + ".7.log"), "a\n");
        RemovedFiles.remove(layout, "boot", segment(f, boot, 7));
        assertThat(layout.removedRecords("boot")[0]).as("64 KiB is not over 64 KiB").doesNotExist();

        Path g = Files.writeString(layout.categoryDir("boot").resolve(boot + ".8.log"), "b\n");
        RemovedFiles.remove(layout, "boot", segment(g, boot, 8));
        assertThat(layout.removedRecords("boot")[0]).exists();
        assertThat(RemovedFiles.read(layout, "boot").entries()).extracting(RemovedFiles.Entry::part).contains(7, 8);
    }

    @Test
    void theDocumentedRecordLinesReadAsTheVectorsSay() throws Exception {
        RootLayout layout = followed(root);
        int ok = 0;
        int bad = 0;
        StringBuilder record = new StringBuilder();
        for (String v : Files.readAllLines(dev.rayos.log.Vectors.docs("bridges-forward-vectors.txt"))) {
            if (v.startsWith("removed-ok ")) {
                ok++;
                record.append(v.substring("removed-ok ".length())).append('\n');
            } else if (v.startsWith("removed-bad ")) {
                bad++;
                record.append(v.substring("removed-bad ".length())).append('\n');
            }
        }
        Files.writeString(layout.removedRecords("boot")[1], record);

        RemovedFiles.Read r = RemovedFiles.read(layout, "boot");

        assertThat(ok).isPositive();
        assertThat(r.entries()).hasSize(ok);
        assertThat(r.damaged()).isEqualTo(bad);
        assertThat(r.entries().get(0)).isEqualTo(new RemovedFiles.Entry("0123456789abcdef0123456789abcdef", 3, 1311,
                10485621, 65011));
        assertThat(RemovedFiles.encode(r.entries().get(0))).isEqualTo("rayos-removed/1 boot=0123456789abcdef0123456789abcdef"
                + " part=3 inode=1311 size=10485621 lines=65011 crc=7c3d662e\n");
    }

    @Test
    void thePartNumbersOfAnIntAreReadAndLargerOnesAreDamage() throws Exception {
        RootLayout layout = followed(root);
        String boot = BootId.random().hex();
        RemovedFiles.Entry largest = new RemovedFiles.Entry(boot, Integer.MAX_VALUE, 5, 1, 1);
        String over = RemovedFiles.encode(largest).replace("part=2147483647", "part=2147483648");
        String body = over.substring(0, over.lastIndexOf(" crc="));
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(body.getBytes(StandardCharsets.US_ASCII));
        over = body + String.format(" crc=%08x\n", c.getValue());
        Files.writeString(layout.removedRecords("boot")[1], RemovedFiles.encode(largest) + over);

        RemovedFiles.Read r = RemovedFiles.read(layout, "boot");

        assertThat(r.entries()).containsExactly(largest);
        assertThat(r.damaged()).isEqualTo(1);
    }

    @Test
    void aRecordDirectoryThatLinksOutOfTheRootIsRefusedAndNothingIsWrittenThere() throws Exception {
        RootLayout layout = new RootLayout(root);
        Path outside = Files.createTempDirectory("rayos-outside");
        try {
            Files.writeString(outside.resolve("boot.cursor"), "x\n");
            Files.createDirectories(layout.forwardDir().getParent());
            Files.createSymbolicLink(layout.forwardDir(), outside);
            assertThat(layout.forwardCursor("boot")).as("a forwarder follows, seen through the link").exists();
            String boot = BootId.random().hex();
            Path f = Files.writeString(Files.createDirectories(layout.categoryDir("boot")).resolve(boot + ".1.log"), "a\n");

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RemovedFiles.remove(layout, "boot", segment(f, boot, 1)))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("outside the root");
            try (Stream<Path> s = Files.list(outside)) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("boot.cursor");
            }
        } finally {
            try (Stream<Path> s = Files.list(outside)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(outside);
        }
    }

    private static LogFiles.Segment segment(Path f, String boot, int n) {
        return new LogFiles.Segment(f, boot, n, 0, 0);
    }
}
