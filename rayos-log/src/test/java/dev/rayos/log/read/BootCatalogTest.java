package dev.rayos.log.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One boot read alone (the current one, or one by id) selects what the whole catalog selects, on a
 * sound or damaged machine, and says the same of what it could not read; where only the whole
 * catalog can answer, it gives way.
 */
class BootCatalogTest {
    @TempDir
    Path root;

    private RootLayout layout;
    private Boots boots;
    private final List<BootRecord> started = new ArrayList<>();

    private void machineOfFiveBoots() throws Exception {
        layout = new RootLayout(root);
        boots = new Boots(layout, LogClock.system());
        for (int i = 0; i < 5; i++) {
            started.add(boots.start(BootMode.NORMAL, i % 2 == 0));
        }
        Files.createDirectories(layout.categoryDir("boot"));
        Files.createDirectories(layout.categoryDir("input"));
        for (BootRecord r : started) {
            Files.writeString(layout.categoryDir("boot").resolve(r.id().hex() + ".log"), "mono:1 INFO app SAID\n");
        }
    }

    private BootRecord current() {
        return started.get(started.size() - 1);
    }

    /** The selection by both ways, checked equal: the entries, or the same error. */
    private List<BootCatalog.Entry> bothWays(BootSelector sel) throws Exception {
        BootCatalog whole = BootCatalog.load(layout, boots);
        Optional<BootCatalog> alone = BootCatalog.ofSelected(layout, boots, sel);
        assertThat(alone).as("read alone").isPresent();
        assertThat(alone.get().unreadable()).isEqualTo(whole.unreadable());
        assertThat(alone.get().current()).isEqualTo(whole.current());
        List<BootCatalog.Entry> got = alone.get().select(sel);
        assertThat(got).isEqualTo(whole.select(sel)).hasSize(1);
        return got;
    }

    @Test
    void theCurrentBootAloneIsTheOneTheWholeCatalogSelects() throws Exception {
        machineOfFiveBoots();
        assertThat(bothWays(new BootSelector.Current()).get(0).record()).isEqualTo(current());
    }

    @Test
    void aBootByItsIdOrAUniquePrefixAloneIsTheOneTheWholeCatalogSelects() throws Exception {
        machineOfFiveBoots();
        BootRecord second = boots.read(started.get(1).id()); // as the next boot left it: unclean
        assertThat(bothWays(new BootSelector.IdPrefix(second.id().hex())).get(0).record()).isEqualTo(second);
        String prefix = shortestUniquePrefix(second.id());
        assertThat(bothWays(new BootSelector.IdPrefix(prefix)).get(0).record()).isEqualTo(second);
    }

    @Test
    void aCurrentBootWhoseHistoryIsDamagedOrGoneIsSelectedByItsIdAloneBothWays() throws Exception {
        machineOfFiveBoots();
        Files.writeString(layout.historyFile(current().id()), "{ \"seq\" : 4, not json");
        assertThat(bothWays(new BootSelector.Current()).get(0).record()).isNull();
        Files.writeString(layout.historyFile(current().id()), "{ not json");
        assertThat(bothWays(new BootSelector.Current()).get(0).record()).isNull();
        Files.delete(layout.historyFile(current().id()));
        assertThat(bothWays(new BootSelector.Current()).get(0).id()).isEqualTo(current().id());
    }

    @Test
    void aHistoryFileThatIsALinkTooLargeOrAnotherBootsIsDamagedBothWays() throws Exception {
        machineOfFiveBoots();
        BootId id = started.get(2).id();
        Path h = layout.historyFile(id);
        Path elsewhere = root.resolve("elsewhere.json");
        Files.move(h, elsewhere);
        Files.createSymbolicLink(h, elsewhere);
        assertThat(bothWays(new BootSelector.IdPrefix(id.hex())).get(0).record()).isNull();
        Files.delete(h);
        Files.write(h, new byte[(1 << 20) + 1]);
        assertThat(bothWays(new BootSelector.IdPrefix(id.hex())).get(0).record()).isNull();
        Files.copy(layout.historyFile(started.get(3).id()), h, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(bothWays(new BootSelector.IdPrefix(id.hex())).get(0).record()).isNull();
    }

    @Test
    void aBootKnownByItsLogFilesAloneIsSelectedByIdBothWays() throws Exception {
        machineOfFiveBoots();
        BootId orphan = BootId.random();
        Files.writeString(layout.categoryDir("input").resolve(orphan.hex() + ".3.log"), "mono:1 INFO app SAID\n");
        assertThat(bothWays(new BootSelector.IdPrefix(orphan.hex())).get(0).record()).isNull();
    }

    @Test
    void whereOnlyTheWholeCatalogCanSayWhichBootItIsNotReadAlone() throws Exception {
        machineOfFiveBoots();
        assertThat(BootCatalog.ofSelected(layout, boots, new BootSelector.FromLatest(1))).isEmpty();
        assertThat(BootCatalog.ofSelected(layout, boots, new BootSelector.FromFirst(2))).isEmpty();
        assertThat(BootCatalog.ofSelected(layout, boots, new BootSelector.All())).isEmpty();
        BootId unknown = BootId.random();
        BootSelector none = new BootSelector.IdPrefix(unknown.hex());
        assertThat(BootCatalog.ofSelected(layout, boots, none)).isEmpty();
        assertThatThrownBy(() -> BootCatalog.load(layout, boots).select(none)).isInstanceOf(ReadQueryException.class);
        // a prefix two boots share
        BootId twin = new BootId(current().id().hex().substring(0, 8) + "0".repeat(24));
        Files.writeString(layout.categoryDir("input").resolve(twin.hex() + ".log"), "mono:1 INFO app SAID\n");
        BootSelector shared = new BootSelector.IdPrefix(current().id().hex().substring(0, 8));
        assertThat(BootCatalog.ofSelected(layout, boots, shared)).isEmpty();
        assertThatThrownBy(() -> BootCatalog.load(layout, boots).select(shared))
                .hasMessageContaining("not unique");
        // no current boot: the latest, which only the whole history knows
        Files.delete(layout.currentBootIdFile());
        assertThat(BootCatalog.ofSelected(layout, boots, new BootSelector.Current())).isEmpty();
        Files.writeString(layout.currentBootIdFile(), "garbage\n");
        assertThat(BootCatalog.ofSelected(layout, boots, new BootSelector.Current())).isEmpty();
    }

    private String shortestUniquePrefix(BootId id) {
        for (int n = 4; n <= 32; n++) {
            String p = id.hex().substring(0, n);
            if (started.stream().filter(r -> r.id().hex().startsWith(p)).count() == 1) {
                return p;
            }
        }
        throw new AssertionError("no unique prefix");
    }
}
