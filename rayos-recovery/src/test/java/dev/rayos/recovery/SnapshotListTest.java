package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The {@code qemu-img snapshot -l} table: real output, tags with spaces, hostile text. */
class SnapshotListTest {
    static Path vector() {
        return ResetJournalTest.vectors().resolveSibling("qemu-img-snapshot-l.txt");
    }

    @Test
    void realQemuImgOutputGivesEachSnapshotsIdAndTagEvenWithSpaces() throws Exception {
        List<SnapshotList.Snapshot> s = SnapshotList.parse(Files.readString(vector()));
        assertThat(s).extracting(SnapshotList.Snapshot::tag)
                .containsExactly("first", "with spaces in it", "a-rather-long-snapshot-tag-name");
        assertThat(s).extracting(SnapshotList.Snapshot::id).containsExactly("1", "2", "3");
        assertThat(s).extracting(SnapshotList.Snapshot::vmSize).containsOnly("0 B");
    }

    @Test
    void noOutputIsNoSnapshotsAndOtherTextIsATypedError() throws Exception {
        assertThat(SnapshotList.parse("")).isEmpty();
        assertThatThrownBy(() -> SnapshotList.parse("qemu-img: Could not open 'x'\n"))
                .isInstanceOf(SnapshotList.SnapshotListException.class).hasMessageContaining("line 1");
    }

    @Property(tries = 500)
    void rowsFormattedAsQemuImgDoesReadBackTheirTags(@ForAll("tags") List<String> tags) throws Exception {
        StringBuilder b = new StringBuilder("Snapshot list:\nID        TAG               VM SIZE                DATE     VM CLOCK     ICOUNT\n");
        int id = 1;
        for (String t : tags) {
            b.append(String.format("%-9s %-17s %7s %s %s %10d%n", id++, t, id % 2 == 0 ? "0 B" : "1.5 MiB",
                    "2026-12-03 12:09:06", "00:00:01.250", 0));
        }
        assertThat(SnapshotList.parse(b.toString())).extracting(SnapshotList.Snapshot::tag).isEqualTo(tags);
    }

    @Provide
    Arbitrary<List<String>> tags() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', '.').ofMinLength(1)
                .ofMaxLength(12);
        return word.list().ofMinSize(1).ofMaxSize(3).map(ws -> String.join(" ", ws)).list().ofMaxSize(5);
    }

    @Property(tries = 1000)
    void hostileTextIsSnapshotsOrATypedErrorNeverACrash(@ForAll("hostile") String out) {
        try {
            for (SnapshotList.Snapshot s : SnapshotList.parse(out)) {
                assertThat(s.tag()).isNotEmpty().doesNotContain("\n");
            }
        } catch (SnapshotList.SnapshotListException expected) {
            assertThat(expected.getMessage()).startsWith("line ");
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> header = Arbitraries.of("Snapshot list:\nID        TAG  VM SIZE DATE VM CLOCK ICOUNT\n", "",
                "Snapshot list:\n");
        Arbitrary<String> junk = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> rowish = Arbitraries.of("1 a 0 B 2026-12-03 12:09:06 00:00:00.000 0", "x  y  z",
                "2 t 9.9 GiB 2026-12-03 12:09:06 00:00:00.000", "   ", "3 \u0000 0 B 2026-12-03 12:09:06 00:00:00.000 --")
                .list().ofMaxSize(5).map(l -> String.join("\n", l));
        return Arbitraries.oneOf(junk, header.flatMap(h -> rowish.map(r -> h + r)));
    }
}
