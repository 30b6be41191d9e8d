package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.machine.image.EspContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rayos repair} on the ESP's boot entries ({@code <root>/efi}), against the image's known-good
 * copy ({@code <root>/usr/lib/rayos/esp}), both laid out as the image builder writes them.
 */
class BootEntriesCheckTest {
    @TempDir
    Path tmp;
    TestMachine m;
    Path esp;
    Path entries;

    @BeforeEach
    void machine() throws Exception {
        m = new TestMachine(tmp.resolve("root"));
        m.boot(1);
        for (Map.Entry<String, byte[]> e : EspContent.files(3, "").entrySet()) {
            m.writeBytes("efi/" + e.getKey(), e.getValue());
            m.writeBytes(EspContent.FACTORY + "/" + e.getKey(), e.getValue());
        }
        esp = m.root.resolve("efi");
        entries = esp.resolve("loader/entries");
    }

    private String allLogs() throws Exception {
        StringBuilder b = new StringBuilder();
        for (String f : TestMachine.files(m.layout.logsDir())) {
            if (f.endsWith(".log")) {
                b.append(Files.readString(m.layout.logsDir().resolve(f)));
            }
        }
        return b.toString();
    }

    private Report repair(boolean dry) throws Exception {
        return Repair.run(m.layout, new Repair.Options(dry, false, null), Repair.standardChecks());
    }

    @Test
    void missingUnparseableAndBadEntriesAndAMissingLoaderConfAreRestoredFromTheImagesCopy() throws Exception {
        Files.delete(entries.resolve("rayos-safe.conf"));                                  // missing
        Files.writeString(entries.resolve("rayos-recovery.conf"), "title broken\nno kernel line\n"); // unparseable
        Files.move(entries.resolve("rayos+3.conf"), entries.resolve("rayos+0-3.conf"));     // counters stuck at bad
        Files.delete(esp.resolve("loader/loader.conf"));                                   // loader.conf missing
        TreeMap<String, String> before = TestMachine.tree(m.root);

        Report dry = repair(true);

        assertThat(TestMachine.tree(m.root)).as("a dry run changes nothing").isEqualTo(before);
        List<String> planned = dry.changes().stream().map(Report.Change::line).toList();
        assertThat(planned).contains(
                "would quarantine efi/loader/entries/rayos-recovery.conf: unreadable entry: no 'linux' or 'efi' line; "
                        + "kept in var/rayos/recovery/quarantine",
                "would restore-entry efi/loader/loader.conf: restore loader/loader.conf (missing)",
                "would restore-entry efi/loader/entries/rayos+3.conf: restore loader/entries/rayos+3.conf "
                        + "(rayos+0-3.conf has no tries left)",
                "would restore-entry efi/loader/entries/rayos-recovery.conf: restore loader/entries/rayos-recovery.conf "
                        + "(rayos-recovery.conf unreadable: no 'linux' or 'efi' line)",
                "would restore-entry efi/loader/entries/rayos-safe.conf: restore loader/entries/rayos-safe.conf (missing)");

        Report real = repair(false);

        assertThat(real.changes()).extracting(Report.Change::line).map(l -> "would " + l).isEqualTo(planned);
        try (var s = Files.list(entries)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("the normal entry with its full tries again").containsExactly("rayos+3.conf", "rayos-recovery.conf",
                            "rayos-safe.conf");
        }
        for (String f : EspContent.files(3, "").keySet()) {
            assertThat(esp.resolve(f)).hasSameBinaryContentAs(m.root.resolve(EspContent.FACTORY).resolve(f));
        }
        assertThat(m.layout.quarantineDir().resolve("efi/loader/entries/rayos-recovery.conf"))
                .as("what could not be parsed is kept").hasContent("title broken\nno kernel line");
        assertThat(allLogs()).contains("action=repair-restore-entry result=done check=boot-entries "
                + "path=efi/loader/entries/rayos+3.conf");
        assertThat(repair(false).changes()).as("a second repair finds nothing").isEmpty();
    }

    @Test
    void anEspThatMatchesTheImageEvenCountingDownOrBlessedNeedsNothing() throws Exception {
        Files.move(entries.resolve("rayos+3.conf"), entries.resolve("rayos+1-2.conf"));
        assertThat(repair(false).changes()).isEmpty();
        Files.move(entries.resolve("rayos+1-2.conf"), entries.resolve("rayos.conf"));
        assertThat(repair(false).changes()).isEmpty();
    }

    @Test
    void withoutAnEspOrAKnownGoodCopyNothingIsCheckedAndItIsSaid() throws Exception {
        TestMachine bare = new TestMachine(tmp.resolve("bare"));
        bare.boot(1);
        Report r = Repair.run(bare.layout, new Repair.Options(false, false, null), Repair.standardChecks());
        assertThat(r.notes()).contains("boot-entries: boot entries not checked: no ESP at efi");
        assertThat(r.changes()).isEmpty();
    }
}
