package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.machine.disk.PartitionTable;
import dev.rayos.machine.disk.Tool;
import dev.rayos.machine.entries.BootEntry;
import dev.rayos.machine.entries.EfiVars;
import dev.rayos.machine.entries.EntryException;
import dev.rayos.machine.entries.ImageEsp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootEntriesCommandTest {
    @TempDir
    Path tmp;

    /** The loader files of an image: loader.conf and the three entries, the normal one as {@code normal}. */
    static Map<String, byte[]> loaderFiles(String normal) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("loader/loader.conf", "timeout 0\ndefault rayos*\neditor no\n".getBytes(StandardCharsets.UTF_8));
        m.put("loader/entries/" + normal, entry("RayOS", "rayos.mode=normal"));
        m.put("loader/entries/rayos-recovery.conf", entry("RayOS recovery", "rayos.mode=recovery"));
        m.put("loader/entries/rayos-safe.conf", entry("RayOS (safe mode)", "rayos.mode=safe"));
        return m;
    }

    static byte[] entry(String title, String options) {
        return BootEntry.of(title, null, "/rayos/vmlinuz", "/rayos/initrd.img", "console=ttyS0 " + options).text().getBytes(StandardCharsets.UTF_8);
    }

    Path root(String normal) throws Exception {
        Path root = tmp.resolve("root");
        for (Map.Entry<String, byte[]> e : loaderFiles(normal).entrySet()) {
            Path p = root.resolve("efi").resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return root;
    }

    static List<String> entries(Path root) throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("efi/loader/entries"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void listShowsEachEntryWithItsTitleStateAndTriesAsATable() throws Exception {
        Path root = root("rayos+1-2.conf");
        Cli.Result r = Cli.onRoot(root, "boot-entries", "list");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ENTRY").contains("TITLE", "STATE", "TRIES");
        assertThat(lines.get(1)).startsWith("rayos+1-2.conf").contains("RayOS", "indeterminate", "1 left, 2 done");
        assertThat(lines.get(2)).startsWith("rayos-recovery.conf").contains("RayOS recovery", "good", "-");
        assertThat(lines).hasSize(4);
    }

    @Test
    void listAsJsonGivesTheCountingAsNumbers() throws Exception {
        Path root = root("rayos+0-3.conf");
        Cli.Result r = Cli.run("boot-entries", "--esp", root.resolve("efi").toString(), "list", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<Object> rows = com.fasterxml.jackson.jr.ob.JSON.std.listFrom(r.out());
        assertThat(rows).hasSize(3);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) rows.get(0);
        assertThat(first).containsEntry("entry", "rayos+0-3.conf").containsEntry("id", "rayos.conf").containsEntry("state", "bad")
                .containsEntry("tries_left", 0).containsEntry("tries_done", 3).containsEntry("title", "RayOS");
    }

    @Test
    void blessAndResetTriesRenameTheNormalEntryAndPrintItsNewName() throws Exception {
        Path root = root("rayos+1-2.conf");
        Cli.Result b = Cli.onRoot(root, "boot-entries", "bless");
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(b.out()).isEqualTo("rayos.conf\n");
        assertThat(entries(root)).containsExactly("rayos-recovery.conf", "rayos-safe.conf", "rayos.conf");
        Cli.Result again = Cli.onRoot(root, "boot-entries", "bless", "normal");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).isEqualTo("rayos.conf\n");
        Cli.Result t = Cli.onRoot(root, "boot-entries", "reset-tries", "normal");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).isEqualTo("rayos+3.conf\n"); // the policy's boot.max_failures default
        Files.createDirectories(root.resolve("etc/rayos"));
        Files.writeString(root.resolve("etc/rayos/policy.conf"), "boot.max_failures = 5\n");
        assertThat(Cli.onRoot(root, "boot-entries", "reset-tries").out()).isEqualTo("rayos+5.conf\n");
        assertThat(Cli.onRoot(root, "boot-entries", "reset-tries", "--tries", "2").out()).isEqualTo("rayos+2.conf\n");
        assertThat(entries(root)).containsExactly("rayos+2.conf", "rayos-recovery.conf", "rayos-safe.conf");
    }

    @Test
    void oneshotSafeSetsLoaderEntryOneShotInTheMachinesEfiVariables() throws Exception {
        Path root = root("rayos+3.conf");
        Path vars = Files.createDirectories(root.resolve("sys/firmware/efi/efivars"));
        Cli.Result r = Cli.onRoot(root, "boot-entries", "oneshot", "safe");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("rayos-safe.conf\n");
        assertThat(new EfiVars(vars).get("LoaderEntryOneShot")).contains("rayos-safe.conf");
    }

    @Test
    void badInputIsOneLineAndExitTwoAndChangesNothing() throws Exception {
        Path root = root("rayos+3.conf");
        Cli.Result unknown = Cli.onRoot(root, "boot-entries", "bless", "windows");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().lines().toList()).hasSize(1);
        assertThat(unknown.err()).contains("no boot entry 'windows'").contains("rayos+3.conf");
        Cli.Result absent = Cli.run("boot-entries", "--esp", tmp.resolve("nothing").toString(), "list");
        assertThat(absent.exit()).isEqualTo(2);
        assertThat(absent.err()).isEqualTo("rayos: no ESP at " + tmp.resolve("nothing") + " (not a directory; is it mounted?)\n");
        Cli.Result noVars = Cli.onRoot(root, "boot-entries", "oneshot", "safe");
        assertThat(noVars.exit()).isEqualTo(2);
        assertThat(noVars.err().lines().toList()).hasSize(1);
        assertThat(noVars.err()).contains("is efivarfs mounted");
        Cli.Result tries = Cli.onRoot(root, "boot-entries", "reset-tries", "--tries", "0");
        assertThat(tries.exit()).isEqualTo(2);
        assertThat(tries.err()).isEqualTo("rayos: tries must be 1..9, not 0\n");
        Cli.Result both = Cli.run("boot-entries", "--esp", root.resolve("efi").toString(), "--image", tmp.resolve("x.img").toString(), "list");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(entries(root)).containsExactly("rayos+3.conf", "rayos-recovery.conf", "rayos-safe.conf");
    }

    @Test
    void aReadOnlyEspIsBadInputExitTwoAsTheIssueAsks() {
        UserError e = BootEntriesCommand.failed(new EntryException(
                "cannot rename loader/entries/rayos+2-1.conf on the ESP at /efi: the ESP is mounted read-only"));
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(BootEntriesCommand.failed(new EntryException("cannot rename x on the ESP at /efi: Input/output error")).exitCode()).isEqualTo(3);
    }

    @Test
    void onAnImageFileListBlessAndResetTriesWorkThroughMtools() throws Exception {
        for (String t : new String[] {"sfdisk", "mkfs.vfat", "mcopy", "mren"}) {
            assumeTrue(Tool.runAllowingFailure(List.of("sh", "-c", "command -v " + t), null, Map.of(), 10).exit() == 0,
                    t + " is absent: run .ci/install-machine.sh");
        }
        Path img = tmp.resolve("rayos.img");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(48L << 20);
        }
        Tool.run(List.of("sfdisk", "-q", "--no-reread", "--no-tell-kernel", img.toString()),
                ("label: gpt\nstart=2048, size=69632, type=" + PartitionTable.ESP_TYPE + "\n").getBytes(StandardCharsets.US_ASCII), Map.of(), 60);
        Tool.run(List.of("mkfs.vfat", "-F", "32", "-s", "1", "-S", "512", "--offset=2048", img.toString(), "34816"));
        ImageEsp esp = ImageEsp.of(img);
        esp.mkdirs("loader/entries");
        for (Map.Entry<String, byte[]> e : loaderFiles("rayos+0-3.conf").entrySet()) {
            esp.write(e.getKey(), e.getValue());
        }
        Cli.Result l = Cli.run("boot-entries", "--image", img.toString(), "list");
        assertThat(l.exit()).as(l.err()).isZero();
        assertThat(l.out()).contains("rayos+0-3.conf").contains("bad").contains("rayos-safe.conf");
        Cli.Result t = Cli.run("boot-entries", "--image", img.toString(), "reset-tries", "--tries", "3");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).isEqualTo("rayos+3.conf\n");
        Cli.Result b = Cli.run("boot-entries", "--image", img.toString(), "bless");
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(esp.list("loader/entries")).containsExactly("rayos-recovery.conf", "rayos-safe.conf", "rayos.conf");
        assertThat(esp.read("loader/entries/rayos.conf")).hasValueSatisfying(x -> assertThat(x).isEqualTo(entry("RayOS", "rayos.mode=normal")));
        Cli.Result one = Cli.run("boot-entries", "--image", img.toString(), "oneshot", "safe");
        assertThat(one.exit()).isEqualTo(2);
        assertThat(one.err()).contains("an image file has none");
    }
}
