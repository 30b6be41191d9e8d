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

    /**
     * The active file removed by hand after the cursor passed its start, then a new active file of
     * the same boot given the freed inode (ext4 often does): same inode, name and ordinal, but
     * shorter than the cursor's offset. The inode is set here, since a real reuse is up to the
     * file system.
     */
    @Test
    void aNewActiveFileThatWasGivenTheRemovedFilesInodeIsSentFromItsStart() {
        Map<String, Integer> order = Map.of(BOOT, 0);
        CategoryStream.Seg fresh = new CategoryStream.Seg(dir.resolve(BOOT + ".log"), BOOT, 0, 42, 14, 1);
        ForwardCursor c = ForwardCursor.fresh("0011223344556677").at(BOOT, 1, 42, 300, 20, 20);

        CategoryStream.Position p = CategoryStream.locate(List.of(fresh), c, order, List.of());

        assertThat(p.moved()).as("the cursor's file is gone").isTrue();
        assertThat(p.index()).isZero();
        assertThat(p.offset()).as("the new file is sent from its start").isZero();
        assertThat(p.lost()).as("the removed file's unsent tail, its lines unknown").isEqualTo(new CategoryStream.Lost(1, 0, 1));
    }

    @Test
    void aFileCutShorterByRepairWhileAnotherFollowsResumesAtItsNewEnd() {
        String next = "fedcba9876543210fedcba9876543210";
        Map<String, Integer> order = Map.of(BOOT, 0, next, 1);
        CategoryStream.Seg cut = new CategoryStream.Seg(dir.resolve(BOOT + ".log"), BOOT, 0, 42, 280, 1);
        CategoryStream.Seg after = new CategoryStream.Seg(dir.resolve(next + ".log"), next, 0, 43, 10, 1);
        ForwardCursor c = ForwardCursor.fresh("0011223344556677").at(BOOT, 1, 42, 300, 20, 20);

        CategoryStream.Position p = CategoryStream.locate(List.of(cut, after), c, order, List.of());

        assertThat(p).isEqualTo(new CategoryStream.Position(0, 280, 20, false, CategoryStream.Lost.NONE));
    }
}
