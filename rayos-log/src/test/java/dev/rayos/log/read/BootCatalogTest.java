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

    @Test
    void offsetsBackFromTheLatestAndNumbersFromTheFirstNameTheBootsAsRayosBootsListsThem() throws Exception {
        machineOfFiveBoots();
        BootCatalog c = BootCatalog.load(layout, boots);
        List<BootId> ids = started.stream().map(BootRecord::id).toList();
        assertThat(c.history().stream().map(BootCatalog.Entry::id)).containsExactlyElementsOf(ids);
        assertThat(c.all()).isEqualTo(c.history());
        assertThat(c.damaged()).isEmpty();
        assertThat(c.layout()).isSameAs(layout);
        assertThat(c.current()).contains(ids.get(4));
        assertThat(c.select(new BootSelector.All())).isEqualTo(c.all());
        assertThat(c.select(new BootSelector.FromLatest(0)).get(0).id()).isEqualTo(ids.get(4));
        assertThat(c.select(new BootSelector.FromLatest(1)).get(0).id()).isEqualTo(ids.get(3));
        assertThat(c.select(new BootSelector.FromLatest(4)).get(0).id()).isEqualTo(ids.get(0));
        assertThatThrownBy(() -> c.select(new BootSelector.FromLatest(5)))
                .isInstanceOf(ReadQueryException.class).hasMessage("no boot -5: the history has 5 boots");
        assertThat(c.select(new BootSelector.FromFirst(1)).get(0).id()).isEqualTo(ids.get(0));
        assertThat(c.select(new BootSelector.FromFirst(2)).get(0).id()).isEqualTo(ids.get(1));
        assertThat(c.select(new BootSelector.FromFirst(5)).get(0).id()).isEqualTo(ids.get(4));
        assertThatThrownBy(() -> c.select(new BootSelector.FromFirst(6)))
                .isInstanceOf(ReadQueryException.class).hasMessage("no boot 6: the history has 5 boots");
        for (int i = 0; i < 5; i++) {
            assertThat(c.offsetOf(ids.get(i))).isEqualTo(i - 4); // -4 … 0, as rayos boots' OFFSET
        }
        assertThat(c.offsetOf(BootId.random())).isNull();
        assertThat(c.byId(ids.get(2)).orElseThrow().record()).isEqualTo(boots.read(ids.get(2)));
        assertThatThrownBy(() -> c.select(new BootSelector.IdPrefix("ffff" + "0".repeat(28))))
                .hasMessage("no boot with id ffff" + "0".repeat(28) + " under " + root);
        assertThatThrownBy(() -> c.select(new BootSelector.IdPrefix("ffff0")))
                .hasMessage("no boot with id ffff0… under " + root);
    }

    @Test
    void aPrefixSeveralBootsShareNamesTwoOfThem() throws Exception {
        machineOfFiveBoots();
        String[] ids = {"abcd1" + "0".repeat(27), "abcd2" + "0".repeat(27), "abce3" + "0".repeat(27)};
        for (String id : ids) {
            age(Files.writeString(layout.categoryDir("input").resolve(id + ".log"), "mono:1 INFO app SAID\n"), 1);
        }
        BootCatalog c = BootCatalog.load(layout, boots);
        assertThatThrownBy(() -> c.select(new BootSelector.IdPrefix("abcd")))
                .hasMessage("boot id prefix abcd is not unique (2 boots: " + ids[0] + ", " + ids[1] + ")");
        assertThatThrownBy(() -> c.select(new BootSelector.IdPrefix("abc")))
                .hasMessage("boot id prefix abc is not unique (3 boots: " + ids[0] + ", " + ids[1] + ", …)");
    }

    @Test
    void aMachineOfOneBootSaysSoAndAnEmptyOneHasNoCurrentBoot() throws Exception {
        layout = new RootLayout(root);
        boots = new Boots(layout, LogClock.system());
        Files.createDirectories(layout.historyDir());
        BootCatalog empty = BootCatalog.load(layout, boots);
        assertThat(empty.all()).isEmpty();
        assertThatThrownBy(() -> empty.select(new BootSelector.Current()))
                .hasMessage("no boots under " + root + " (start one with 'rayos boot')");
        started.add(boots.start(BootMode.NORMAL, true));
        Files.delete(layout.currentBootIdFile()); // the latest is the current boot then
        BootCatalog one = BootCatalog.load(layout, boots);
        assertThat(one.select(new BootSelector.Current()).get(0).id()).isEqualTo(started.get(0).id());
        assertThatThrownBy(() -> one.select(new BootSelector.FromLatest(1))).hasMessage("no boot -1: the history has 1 boot");
        assertThatThrownBy(() -> one.select(new BootSelector.FromFirst(2))).hasMessage("no boot 2: the history has 1 boot");
        assertThatThrownBy(() -> one.select(new BootSelector.FromFirst(0))).hasMessage("no boot 0: the history has 1 boot");
    }

    @Test
    void bootsKnownOnlyByTheirFilesTakeTheirPlaceByTheirOldestFilesTime() throws Exception {
        machineOfFiveBoots();
        for (int i = 0; i < 5; i++) {
            age(layout.categoryDir("boot").resolve(started.get(i).id().hex() + ".log"), 1000 * (i + 1));
        }
        BootId between = new BootId("a".repeat(32));
        BootId before = new BootId("b".repeat(32));
        BootId after = new BootId("c".repeat(32));
        // the oldest of a boot's files counts: 2500 s, not its newer part's 9000 s
        age(Files.writeString(layout.categoryDir("input").resolve(between.hex() + ".log"), "mono:1 INFO app SAID\n"), 9000);
        age(Files.writeString(layout.categoryDir("boot").resolve(between.hex() + ".1.log"), "mono:1 INFO app SAID\n"), 2500);
        age(Files.writeString(layout.categoryDir("boot").resolve(before.hex() + ".log"), "mono:1 INFO app SAID\n"), 500);
        age(Files.writeString(layout.categoryDir("input").resolve(after.hex() + ".log"), "mono:1 INFO app SAID\n"), 8000);
        BootId sameTime = new BootId("d".repeat(32)); // as old as the fourth boot's file: after it
        age(Files.writeString(layout.categoryDir("input").resolve(sameTime.hex() + ".log"), "mono:1 INFO app SAID\n"), 4000);
        BootCatalog c = BootCatalog.load(layout, boots);
        assertThat(c.all().stream().map(BootCatalog.Entry::id)).containsExactly(before, started.get(0).id(),
                started.get(1).id(), between, started.get(2).id(), started.get(3).id(), sameTime, started.get(4).id(), after);
        assertThat(c.history()).hasSize(5);
        assertThat(c.offsetOf(between)).isNull();
        assertThat(c.select(new BootSelector.FromLatest(0)).get(0).id()).isEqualTo(started.get(4).id());
        assertThat(c.select(new BootSelector.IdPrefix("aaaa")).get(0).record()).isNull();
    }

    @Test
    void aBootWhoseHistoryIsDamagedKeepsItsNumberAndItsPlaceByTheNumberItsFileStillSays() throws Exception {
        machineOfFiveBoots();
        BootId third = started.get(2).id();
        Files.writeString(layout.historyFile(third), "{ \"seq\" : 2, not json");
        Files.delete(layout.categoryDir("boot").resolve(third.hex() + ".log")); // known by its history alone
        BootCatalog c = BootCatalog.load(layout, boots);
        assertThat(c.all().stream().map(BootCatalog.Entry::id)).containsExactly(started.get(0).id(), started.get(1).id(),
                third, started.get(3).id(), started.get(4).id());
        assertThat(c.history()).hasSize(4);
        assertThat(c.damaged()).hasSize(1);
        assertThat(c.select(new BootSelector.FromFirst(3)).get(0)).isEqualTo(new BootCatalog.Entry(third, null));
        assertThat(c.select(new BootSelector.FromFirst(4)).get(0).id()).isEqualTo(started.get(3).id());
        assertThatThrownBy(() -> c.select(new BootSelector.FromFirst(6)))
                .hasMessage("no boot 6: the history has 4 boots (and 1 that cannot be read: reach those by id)");
        assertThat(c.select(new BootSelector.FromLatest(2)).get(0).id()).isEqualTo(started.get(1).id()); // history only
        assertThat(bothWays(new BootSelector.IdPrefix(third.hex())).get(0).record()).isNull();
    }

    @Test
    void theFirstBootDamagedKeepsNumberOneReadAloneToo() throws Exception {
        machineOfFiveBoots();
        BootId first = started.get(0).id();
        Files.writeString(layout.historyFile(first), "{ \"seq\" : 0, not json");
        BootCatalog alone = BootCatalog.ofSelected(layout, boots, new BootSelector.IdPrefix(first.hex())).orElseThrow();
        assertThat(alone.select(new BootSelector.FromFirst(1))).containsExactly(new BootCatalog.Entry(first, null));
        assertThat(alone.history()).isEmpty();
        assertThat(BootCatalog.load(layout, boots).select(new BootSelector.FromFirst(1)))
                .containsExactly(new BootCatalog.Entry(first, null));
        BootCatalog second = BootCatalog.ofSelected(layout, boots, new BootSelector.IdPrefix(started.get(1).id().hex()))
                .orElseThrow();
        assertThat(second.history()).containsExactly(new BootCatalog.Entry(started.get(1).id(), boots.read(started.get(1).id())));
    }

    @Test
    void aBootKnownByItsHistoryAloneIsSelectedByAPrefixAlone() throws Exception {
        machineOfFiveBoots();
        BootRecord second = boots.read(started.get(1).id());
        Files.delete(layout.categoryDir("boot").resolve(second.id().hex() + ".log"));
        assertThat(bothWays(new BootSelector.IdPrefix(shortestUniquePrefix(second.id()))).get(0).record()).isEqualTo(second);
    }

    @Test
    void onlyRealDirectoriesWithCategoryNamesAreCategoriesSortedByName() throws Exception {
        layout = new RootLayout(root);
        assertThat(BootCatalog.categoryDirs(layout)).isEmpty(); // no var/rayos/logs yet
        Path logs = Files.createDirectories(layout.logsDir());
        List<Path> sorted = new ArrayList<>();
        for (String n : new String[] {"alpha", "beta", "delta", "epsilon", "eta", "gamma", "theta", "zeta"}) {
            sorted.add(logs.resolve(n));
        }
        for (int i = sorted.size() - 1; i >= 0; i--) {
            Files.createDirectories(sorted.get(i));
        }
        Files.createDirectories(logs.resolve("Bad"));
        Files.writeString(logs.resolve("file"), "");
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.createSymbolicLink(logs.resolve("linked"), outside);
        assertThat(BootCatalog.categoryDirs(layout)).containsExactlyElementsOf(sorted);
    }

    private static Path age(Path p, long epochSeconds) throws java.io.IOException {
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(epochSeconds * 1000));
        return p;
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
