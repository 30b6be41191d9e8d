package dev.rayos.log.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The current boot read alone selects what the whole catalog selects, on a sound or damaged machine. */
class BootCatalogTest {
    @TempDir
    Path root;

    private RootLayout layout;
    private Boots boots;
    private BootRecord current;

    private void machineOfFiveBoots() throws Exception {
        layout = new RootLayout(root);
        boots = new Boots(layout, LogClock.system());
        for (int i = 0; i < 5; i++) {
            current = boots.start(BootMode.NORMAL, i % 2 == 0);
        }
        Files.createDirectories(layout.categoryDir("boot"));
        Files.writeString(layout.categoryDir("boot").resolve(current.id().hex() + ".log"), "mono:1 INFO app SAID\n");
    }

    private List<BootCatalog.Entry> whole() throws Exception {
        return BootCatalog.load(layout, boots).select(new BootSelector.Current());
    }

    private List<BootCatalog.Entry> alone() throws Exception {
        return BootCatalog.currentOnly(layout, boots).orElseThrow().select(new BootSelector.Current());
    }

    @Test
    void theCurrentBootAloneIsTheOneTheWholeCatalogSelects() throws Exception {
        machineOfFiveBoots();
        assertThat(alone()).isEqualTo(whole()).hasSize(1);
        assertThat(alone().get(0).record()).isEqualTo(current);
    }

    @Test
    void aCurrentBootWhoseHistoryIsDamagedOrGoneIsSelectedByItsIdAloneBothWays() throws Exception {
        machineOfFiveBoots();
        Files.writeString(layout.historyFile(current.id()), "{ not json");
        assertThat(alone()).isEqualTo(whole());
        assertThat(alone().get(0).record()).isNull();
        Files.delete(layout.historyFile(current.id()));
        assertThat(alone()).isEqualTo(whole());
        assertThat(alone().get(0).id()).isEqualTo(current.id());
    }

    @Test
    void withoutACurrentBootTheWholeCatalogIsNeeded() throws Exception {
        machineOfFiveBoots();
        Files.delete(layout.currentBootIdFile());
        assertThat(BootCatalog.currentOnly(layout, boots)).isEmpty();
        Files.writeString(layout.currentBootIdFile(), "garbage\n");
        assertThat(BootCatalog.currentOnly(layout, boots)).isEmpty();
    }
}
