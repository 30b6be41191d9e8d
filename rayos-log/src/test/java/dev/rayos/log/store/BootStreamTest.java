package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.RootLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one boot wrote to one category read as one stream (its parts oldest first, then its active
 * file): the stream recovery reads to find a dead writer's lines. Real files; parts removed between
 * the listing and the read, as retention in another process removes them.
 */
class BootStreamTest {
    static final BootId BOOT = BootId.parse("0123456789abcdef0123456789abcdef");
    static final BootId OTHER = BootId.parse("fedcba9876543210fedcba9876543210");

    @TempDir
    Path root;

    RootLayout layout;
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        layout = new RootLayout(root);
        dir = Files.createDirectories(layout.categoryDir("boot"));
    }

    Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void theStreamIsTheBootsPartsInOrderThenItsActiveFileAndNothingOfAnotherBoot() throws Exception {
        write(BOOT.hex() + ".2.log", "BBBB\n");
        write(BOOT.hex() + ".1.log", "AAA\n");
        write(BOOT.hex() + ".log", "CC\n");
        write(OTHER.hex() + ".log", "other boot\n");

        BootStream s = BootStream.of(layout, "boot", BOOT);

        assertThat(s.size()).isEqualTo(12);
        assertThat(text(s.read(0, 100))).isEqualTo("AAA\nBBBB\nCC\n");
        for (int from = 0; from <= 12; from++) {
            for (int max = 0; max <= 13; max++) {
                String all = "AAA\nBBBB\nCC\n";
                assertThat(text(s.read(from, max))).as("from %d max %d", from, max)
                        .isEqualTo(all.substring(from, Math.min(12, from + max)));
            }
        }
        assertThat(s.read(13, 5)).isEmpty();
    }

    @Test
    void aByteOfAPartIsPlacedAfterThePartsBeforeIt() throws Exception {
        Path a = write(BOOT.hex() + ".1.log", "AAA\n");
        Path b = write(BOOT.hex() + ".log", "BBBB\n");

        BootStream s = BootStream.of(layout, "boot", BOOT);

        assertThat(s.positionOf(LogFiles.inodeOf(a), 0)).isZero();
        assertThat(s.positionOf(LogFiles.inodeOf(a), 2)).isEqualTo(2);
        assertThat(s.positionOf(LogFiles.inodeOf(b), 1)).isEqualTo(5);
        assertThat(s.positionOf(LogFiles.inodeOf(a), 4)).as("the end of a part is where the next begins").isEqualTo(4);
        assertThat(s.positionOf(LogFiles.inodeOf(a), 5)).as("past a part's end: the stream's end").isEqualTo(9);
        assertThat(s.positionOf(LogFiles.inodeOf(b), 5)).isEqualTo(9);
    }

    @Test
    void aFileOfNoneOfTheBootsPartsHasNoPosition() throws Exception {
        write(BOOT.hex() + ".log", "AAA\n");
        Path other = write(OTHER.hex() + ".log", "other\n");

        BootStream s = BootStream.of(layout, "boot", BOOT);

        assertThat(s.positionOf(LogFiles.inodeOf(other), 0)).isEqualTo(-1);
    }

    @Test
    void aPartRemovedAfterTheListingThatTheReadStartsPastDoesNotHideTheFilesAfterIt() throws Exception {
        Path a = write(BOOT.hex() + ".1.log", "AAA\n");
        write(BOOT.hex() + ".log", "BBBB\n");
        BootStream s = BootStream.of(layout, "boot", BOOT);
        Files.delete(a);

        assertThat(text(s.read(4, 100))).isEqualTo("BBBB\n");
    }

    @Test
    void anEmptyPartRemovedAfterTheListingDoesNotEndTheStream() throws Exception {
        write(BOOT.hex() + ".1.log", "AAA\n");
        Path empty = write(BOOT.hex() + ".2.log", "");
        write(BOOT.hex() + ".log", "BBBB\n");
        BootStream s = BootStream.of(layout, "boot", BOOT);
        Files.delete(empty);

        assertThat(text(s.read(0, 100))).isEqualTo("AAA\nBBBB\n");
    }

    @Test
    void aPartRemovedAfterTheListingEndsTheStreamThere() throws Exception {
        write(BOOT.hex() + ".1.log", "AAA\n");
        Path b = write(BOOT.hex() + ".2.log", "BBBB\n");
        write(BOOT.hex() + ".log", "CC\n");
        BootStream s = BootStream.of(layout, "boot", BOOT);
        Files.delete(b);

        assertThat(text(s.read(0, 100))).isEqualTo("AAA\n");
    }

    @Test
    void aPartCutShorterAfterTheListingEndsTheStreamAtItsNewEnd() throws Exception {
        write(BOOT.hex() + ".1.log", "AAA\n");
        Path b = write(BOOT.hex() + ".2.log", "BBBB\n");
        write(BOOT.hex() + ".log", "CC\n");
        BootStream s = BootStream.of(layout, "boot", BOOT);
        Files.writeString(b, "BB");

        assertThat(text(s.read(0, 100))).isEqualTo("AAA\nBB");
    }

    @Test
    void aPartCutShorterThanWhereTheReadStartsEndsTheStreamThere() throws Exception {
        write(BOOT.hex() + ".1.log", "AAA\n");
        Path b = write(BOOT.hex() + ".2.log", "BBBBBBBB\n");
        write(BOOT.hex() + ".log", "CC\n");
        BootStream s = BootStream.of(layout, "boot", BOOT);
        Files.writeString(b, "BB");

        assertThat(s.read(8, 100)).as("nothing left of part 2 at its byte 4").isEmpty();
    }
}
