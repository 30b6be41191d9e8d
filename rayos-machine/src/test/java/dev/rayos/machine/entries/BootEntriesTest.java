package dev.rayos.machine.entries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.machine.image.EspFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootEntriesTest {
    @TempDir
    Path tmp;
    Path esp;
    Path factory;
    BootEntries entries;

    @BeforeEach
    void layOut() throws Exception {
        esp = EspFixture.layOut(tmp.resolve("efi"), 3);
        factory = EspFixture.layOut(tmp.resolve("factory"), 3);
        entries = new BootEntries(new DirectoryEsp(esp));
    }

    private List<String> files() throws Exception {
        try (var s = Files.list(esp.resolve("loader/entries"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void listShowsTheThreeEntriesAnImageInstallsWithTheirTitlesAndCounting() throws Exception {
        List<BootEntries.Listed> l = entries.list();
        assertThat(l).extracting(x -> x.name().file()).containsExactly("rayos+3.conf", "rayos-recovery.conf", "rayos-safe.conf");
        assertThat(l).extracting(BootEntries.Listed::title).containsExactly("RayOS", "RayOS recovery", "RayOS (safe mode)");
        assertThat(l).extracting(x -> x.name().state()).containsExactly("indeterminate", "good", "good");
        assertThat(l.get(0).entry().get("options")).contains("rayos.mode=normal");
    }

    @Test
    void aPersonFindsAnEntryByRoleBaseIdOrFileName() throws Exception {
        Files.move(esp.resolve("loader/entries/rayos+3.conf"), esp.resolve("loader/entries/rayos+2-1.conf"));
        for (String q : new String[] {"normal", "NORMAL", "rayos", "rayos.conf", "rayos+2-1.conf", "rayos+3.conf"}) {
            assertThat(entries.find(q).name().file()).as(q).isEqualTo("rayos+2-1.conf");
        }
        assertThat(entries.find("safe").name().file()).isEqualTo("rayos-safe.conf");
        assertThat(entries.find("recovery").name().file()).isEqualTo("rayos-recovery.conf");
        assertThat(entries.find("rayos-safe").name().file()).isEqualTo("rayos-safe.conf");
        assertThatThrownBy(() -> entries.find("windows")).isInstanceOf(EntryException.class)
                .hasMessage("no boot entry 'windows' on the ESP at " + esp + " (entries: rayos+2-1.conf, rayos-recovery.conf, rayos-safe.conf)");
        assertThatThrownBy(() -> entries.find("../../etc/passwd")).isInstanceOf(EntryException.class).hasMessageStartingWith("no boot entry");
    }

    @Test
    void blessingRenamesTheCountedEntryToItsCounterFreeNameAndKeepsItsText() throws Exception {
        byte[] text = Files.readAllBytes(esp.resolve("loader/entries/rayos+3.conf"));
        Files.move(esp.resolve("loader/entries/rayos+3.conf"), esp.resolve("loader/entries/rayos+1-2.conf"));
        assertThat(entries.bless("normal").file()).isEqualTo("rayos.conf");
        assertThat(files()).containsExactly("rayos-recovery.conf", "rayos-safe.conf", "rayos.conf");
        assertThat(esp.resolve("loader/entries/rayos.conf")).hasBinaryContent(text);
        // blessed already: nothing changes
        assertThat(entries.bless("normal").file()).isEqualTo("rayos.conf");
        assertThat(files()).containsExactly("rayos-recovery.conf", "rayos-safe.conf", "rayos.conf");
    }

    @Test
    void resetTriesGivesABadOrBlessedEntryFreshTries() throws Exception {
        Files.move(esp.resolve("loader/entries/rayos+3.conf"), esp.resolve("loader/entries/rayos+0-3.conf"));
        assertThat(entries.find("normal").name().state()).isEqualTo("bad");
        assertThat(entries.resetTries("normal", 3).file()).isEqualTo("rayos+3.conf");
        assertThat(files()).containsExactly("rayos+3.conf", "rayos-recovery.conf", "rayos-safe.conf");
        assertThat(entries.resetTries("normal", 3).file()).isEqualTo("rayos+3.conf"); // no-op
        entries.bless("normal");
        assertThat(entries.resetTries("normal", 2).file()).isEqualTo("rayos+2.conf");
        assertThatThrownBy(() -> entries.resetTries("normal", 0)).isInstanceOf(EntryException.class).hasMessage("tries must be 1..9, not 0");
        assertThat(files()).containsExactly("rayos+2.conf", "rayos-recovery.conf", "rayos-safe.conf");
    }

    @Test
    void oneshotWritesLoaderEntryOneShotAsBootctlDoes() throws Exception {
        Path vars = Files.createDirectories(tmp.resolve("efivars"));
        assertThat(entries.oneshot("safe", new EfiVars(vars)).file()).isEqualTo("rayos-safe.conf");
        byte[] want = new byte[4 + 2 * "rayos-safe.conf".length() + 2];
        want[0] = 7;
        byte[] s = "rayos-safe.conf".getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(s, 0, want, 4, s.length);
        assertThat(vars.resolve("LoaderEntryOneShot-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f")).hasBinaryContent(want);
        assertThatThrownBy(() -> entries.oneshot("nope", new EfiVars(vars))).isInstanceOf(EntryException.class);
    }

    @Test
    void anEspMatchingTheImageNeedsNoRepairEvenWhileCountingOrBlessed() throws Exception {
        assertThat(entries.check(factory)).isEmpty();
        Files.move(esp.resolve("loader/entries/rayos+3.conf"), esp.resolve("loader/entries/rayos+1-2.conf"));
        assertThat(entries.check(factory)).isEmpty();
        entries.bless("normal");
        assertThat(entries.check(factory)).isEmpty();
        assertThat(entries.restore(factory, false)).isEmpty();
    }

    @Test
    void checkNamesEachWrongFileAndRestorePutsBackTheImagesCopyWithFullTries() throws Exception {
        Path e = esp.resolve("loader/entries");
        Files.delete(e.resolve("rayos-safe.conf"));
        Files.writeString(e.resolve("rayos-recovery.conf"), "garbage without a kernel\n");
        Files.move(e.resolve("rayos+3.conf"), e.resolve("rayos+0-3.conf"));
        Files.writeString(esp.resolve("loader/loader.conf"), "timeout 10\n");
        assertThat(entries.check(factory)).containsExactlyInAnyOrder(
                "restore loader/loader.conf (differs from the image's)",
                "restore loader/entries/rayos+3.conf (rayos+0-3.conf has no tries left)",
                "restore loader/entries/rayos-recovery.conf (rayos-recovery.conf unreadable: no 'linux' or 'efi' line)",
                "restore loader/entries/rayos-safe.conf (missing)");
        assertThat(entries.restore(factory, false)).hasSize(4);
        assertThat(files()).containsExactly("rayos+3.conf", "rayos-recovery.conf", "rayos-safe.conf");
        for (String f : new String[] {"loader/loader.conf", "loader/entries/rayos+3.conf", "loader/entries/rayos-recovery.conf",
                "loader/entries/rayos-safe.conf"}) {
            assertThat(esp.resolve(f)).hasSameBinaryContentAs(factory.resolve(f));
        }
        assertThat(entries.check(factory)).isEmpty();
    }

    @Test
    void restoreLeavesNoSecondEntryOfTheSameBase() throws Exception {
        Path e = esp.resolve("loader/entries");
        Files.move(e.resolve("rayos+3.conf"), e.resolve("rayos+1-2.conf"));
        Files.writeString(e.resolve("rayos+1-2.conf"), "linux /other\n");
        Files.writeString(e.resolve("rayos-safe+0-3.conf"), "linux /x\n"); // a second safe entry, bad
        Files.delete(esp.resolve("loader/loader.conf"));
        assertThat(entries.check(factory)).contains("restore loader/loader.conf (missing)",
                "restore loader/entries/rayos+3.conf (rayos+1-2.conf differs from the image's)");
        entries.restore(factory, true);
        assertThat(files()).containsExactly("rayos+3.conf", "rayos-recovery.conf", "rayos-safe.conf");
    }

    @Test
    void aFactoryCopyWithNoEntriesIsRefusedWithoutTouchingTheEsp() throws Exception {
        assertThatThrownBy(() -> entries.restore(tmp.resolve("nothing"), true)).isInstanceOf(EntryException.class)
                .hasMessageStartingWith("no known-good boot entries at ");
        assertThat(files()).containsExactly("rayos+3.conf", "rayos-recovery.conf", "rayos-safe.conf");
    }

    @Test
    void anEntriesDirectorySymlinkedOutOfTheEspIsRefusedAndNothingOutsideIsTouched() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("rayos+1-2.conf"), "linux /evil\n");
        Path e = esp.resolve("loader/entries");
        Files.move(e, tmp.resolve("moved-entries"));
        Files.createSymbolicLink(e, outside);
        assertThatThrownBy(() -> entries.list()).isInstanceOf(EntryException.class).hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> entries.bless("normal")).isInstanceOf(EntryException.class).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> entries.restore(factory, true)).isInstanceOf(EntryException.class).hasMessageContaining("symbolic link");
        try (var s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("rayos+1-2.conf");
        }
        assertThat(outside.resolve("rayos+1-2.conf")).hasContent("linux /evil");
    }

    @Test
    void aLoaderDirectorySymlinkedOutIsRefusedOnTheWayDown() throws Exception {
        Path outside = EspFixture.layOut(tmp.resolve("outside"), 2).resolve("loader");
        Path loader = esp.resolve("loader");
        Files.move(loader, tmp.resolve("moved-loader"));
        Files.createSymbolicLink(loader, outside);
        assertThatThrownBy(() -> entries.resetTries("normal", 3)).isInstanceOf(EntryException.class)
                .hasMessageContaining("loader on the ESP at " + esp + " is a symbolic link; refusing to follow it");
        assertThat(outside.resolve("entries/rayos+2.conf")).exists();
        assertThat(outside.resolve("entries/rayos+3.conf")).doesNotExist();
    }

    @Test
    void anEntryFileThatIsASymlinkIsNotListedAndNotRenamed() throws Exception {
        Path outside = Files.writeString(tmp.resolve("target.conf"), "linux /x\n");
        Files.createSymbolicLink(esp.resolve("loader/entries/other+1.conf"), outside);
        assertThat(entries.list()).extracting(x -> x.name().file()).doesNotContain("other+1.conf");
        assertThatThrownBy(() -> entries.bless("other")).isInstanceOf(EntryException.class).hasMessageStartingWith("no boot entry");
        assertThat(outside).exists();
    }

    @Test
    void anEspThatIsNotADirectoryIsOneClearLine() throws Exception {
        assertThatThrownBy(() -> new DirectoryEsp(tmp.resolve("absent"))).isInstanceOf(EntryException.class)
                .hasMessage("no ESP at " + tmp.resolve("absent") + " (not a directory; is it mounted?)");
        Path link = Files.createSymbolicLink(tmp.resolve("esp-link"), esp);
        assertThatThrownBy(() -> new DirectoryEsp(link)).isInstanceOf(EntryException.class)
                .hasMessage("the ESP path " + link + " is a symbolic link; refusing to follow it (give the directory it names)");
    }

    @Test
    void aReadOnlyEspIsNamedAsSuchInOneLine() {
        // tests run as root, where chmod -w does not stop a write; the message comes from the kernel's EROFS
        String why = DirectoryEsp.why(new FileSystemException("/efi/loader/entries/rayos+2-1.conf", "/efi/loader/entries/rayos.conf",
                "Read-only file system"));
        assertThat(why).isEqualTo("the ESP is mounted read-only");
        assertThat(DirectoryEsp.why(new java.nio.file.AccessDeniedException("/efi/x"))).isEqualTo("permission denied");
    }

    @Test
    void pathsOutsideTheEspAreRefusedBeforeAnyFileIsTouched() throws Exception {
        DirectoryEsp d = new DirectoryEsp(esp);
        for (String p : new String[] {"../x", "/etc/passwd", "loader/../../x", "a//b", "loader/", "", "a\0b", "ä"}) {
            assertThatThrownBy(() -> d.write(p, new byte[1])).as(p).isInstanceOf(EntryException.class).hasMessageContaining("is not a path on the ESP");
        }
        assertThat(tmp.resolve("x")).doesNotExist();
    }
}
