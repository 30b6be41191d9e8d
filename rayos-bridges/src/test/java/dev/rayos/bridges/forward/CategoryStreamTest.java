package dev.rayos.bridges.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.LogFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a forward cursor stands in a category's files while the writer rotates them. */
class CategoryStreamTest {
    private static final String BOOT = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    /**
     * A directory read during a rotation that missed the renamed part but already shows the new
     * active file (what the listing below is made to be: the part left out of it).
     */
    @Test
    void aPartTheListingMissedMidRotationIsFoundByTheNameTheCursorForesaw() throws Exception {
        Path part = Files.writeString(dir.resolve(BOOT + ".3.log"), "one\ntwo\nthree\n");
        Files.writeString(dir.resolve(BOOT + ".log"), "four\n");
        Map<String, Integer> order = Map.of(BOOT, 0);
        List<CategoryStream.Seg> missed = CategoryStream.list(dir, order, List.of()).stream()
                .filter(s -> !s.path().equals(part)).toList();
        ForwardCursor sentTwo = ForwardCursor.fresh("0011223344556677").at(BOOT, 3, LogFiles.inodeOf(part), 8, 2, 2);

        CategoryStream.Position believed = CategoryStream.locate(missed, sentTwo, order, List.of());
        assertThat(believed.moved()).as("the listing alone makes the part look removed").isTrue();
        assertThat(believed.lost().files()).isEqualTo(1);

        List<CategoryStream.Seg> segs = CategoryStream.withCursorsFile(dir, missed, sentTwo, order, List.of());
        CategoryStream.Position p = CategoryStream.locate(segs, sentTwo, order, List.of());
        assertThat(p.moved()).as("the cursor stays in its file").isFalse();
        assertThat(p.lost()).isEqualTo(CategoryStream.Lost.NONE);
        assertThat(segs.get(p.index()).path()).isEqualTo(part);
        assertThat(p.offset()).isEqualTo(8);
        assertThat(segs).extracting(CategoryStream.Seg::ordinal).containsExactly(3, 4);
    }

    @Test
    void aPartThatIsReallyGoneIsStillReportedLost() throws Exception {
        Path part = Files.writeString(dir.resolve(BOOT + ".3.log"), "one\ntwo\nthree\n");
        long inode = LogFiles.inodeOf(part);
        Files.delete(part);
        Files.writeString(dir.resolve(BOOT + ".log"), "four\n");
        Map<String, Integer> order = Map.of(BOOT, 0);
        ForwardCursor c = ForwardCursor.fresh("0011223344556677").at(BOOT, 3, inode, 8, 2, 2);

        List<CategoryStream.Seg> segs = CategoryStream.withCursorsFile(dir, CategoryStream.list(dir, order, List.of()), c,
                order, List.of());
        CategoryStream.Position p = CategoryStream.locate(segs, c, order, List.of());
        assertThat(p.moved()).isTrue();
        assertThat(p.lost().files()).isEqualTo(1);
        assertThat(segs.get(p.index()).path().getFileName().toString()).isEqualTo(BOOT + ".log");
    }

    @Test
    void anotherFileUnderTheForeseenNameIsNotTakenForTheCursorsFile() throws Exception {
        Path part = Files.writeString(dir.resolve(BOOT + ".3.log"), "one\n");
        long inode = LogFiles.inodeOf(part);
        Files.delete(part);
        Files.writeString(dir.resolve(BOOT + ".3.log"), "another file, another inode\n");
        Files.writeString(dir.resolve(BOOT + ".log"), "four\n");
        Map<String, Integer> order = Map.of(BOOT, 0);
        List<CategoryStream.Seg> listed = CategoryStream.list(dir, order, List.of());
        ForwardCursor c = ForwardCursor.fresh("0011223344556677").at(BOOT, 3, inode == LogFiles.inodeOf(part) ? inode + 1 : inode, 4, 1, 1);

        assertThat(CategoryStream.withCursorsFile(dir, listed, c, order, List.of())).isEqualTo(listed);
    }
}
