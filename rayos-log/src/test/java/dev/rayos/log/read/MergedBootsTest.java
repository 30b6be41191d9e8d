package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.S;
import static dev.rayos.log.read.ReadRoot.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.Level;
import dev.rayos.log.root.BootId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rayos logs -b all -o short} over boots that logged in several categories: each boot with a
 * line to show is introduced once by its separator, before its first line, its lines merged by
 * time; a boot with no line passing the filter has no separator.
 */
class MergedBootsTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void eachBootWithLinesIsIntroducedOnceBeforeItsLinesMergedAcrossCategories() throws Exception {
        ReadRoot root = new ReadRoot(dir);
        BootId a = BootId.random();
        BootId b = BootId.random();
        BootId c = BootId.random();
        List<BootCatalog.Entry> boots = List.of(root.boot(ReadRoot.syncedAtFiveSeconds(a, 0)),
                root.boot(ReadRoot.syncedAtFiveSeconds(b, 1)), root.boot(ReadRoot.syncedAtFiveSeconds(c, 2)));
        root.file("boot", a.hex() + ".log", ReadRoot.lines(ReadRoot.utc(T0 + S) + " INFO kernel A1",
                ReadRoot.utc(T0 + 3 * S) + " INFO kernel A3"));
        root.file("input", a.hex() + ".log", ReadRoot.lines(ReadRoot.utc(T0 + 2 * S) + " INFO input A2"));
        root.file("boot", b.hex() + ".log", ReadRoot.lines(ReadRoot.utc(T0 + 10 * S) + " DEBUG kernel B1"));
        root.file("input", b.hex() + ".log", ReadRoot.lines(ReadRoot.utc(T0 + 11 * S) + " DEBUG input B2"));
        root.file("boot", c.hex() + ".log", ReadRoot.lines(ReadRoot.utc(T0 + 21 * S) + " WARN kernel C2"));
        root.file("input", c.hex() + ".log", ReadRoot.lines(ReadRoot.utc(T0 + 20 * S) + " INFO input C1"));
        List<String> out = root.text(boots, new LogQuery(Level.INFO, null, null, null, null, null, null), "short")
                .lines().toList();
        assertThat(out).hasSize(7);
        assertThat(out.get(0)).startsWith("-- boot " + a + " ");
        assertThat(out.subList(1, 4)).allMatch(l -> !l.startsWith("--"));
        assertThat(out.get(1)).endsWith(" A1");
        assertThat(out.get(2)).endsWith(" A2");
        assertThat(out.get(3)).endsWith(" A3");
        assertThat(out.get(4)).startsWith("-- boot " + c + " ");
        assertThat(out.get(5)).endsWith(" C1");
        assertThat(out.get(6)).endsWith(" C2");
    }
}
