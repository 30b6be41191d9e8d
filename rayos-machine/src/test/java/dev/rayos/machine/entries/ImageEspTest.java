package dev.rayos.machine.entries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.machine.disk.PartitionTable;
import dev.rayos.machine.disk.Tool;
import dev.rayos.machine.image.EspFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ESP inside a real GPT disk image (sfdisk, mkfs.vfat --offset), read and changed with the real mtools. */
class ImageEspTest {
    @TempDir
    Path tmp;
    Path image;

    /** A 48 MiB GPT image with a FAT32 ESP at 1 MiB and a data partition after it; skips without the tools. */
    static Path gptImage(Path file) throws Exception {
        for (String t : new String[] {"sfdisk", "mkfs.vfat", "mcopy", "mdir", "mren"}) {
            assumeTrue(Tool.runAllowingFailure(List.of("sh", "-c", "command -v " + t), null, Map.of(), 10).exit() == 0,
                    t + " is absent: run .ci/install-machine.sh");
        }
        try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(48L << 20);
        }
        String script = "label: gpt\nstart=2048, size=69632, type=" + PartitionTable.ESP_TYPE + ", name=\"ESP\"\n"
                + "start=71680, type=" + PartitionTable.LINUX_TYPE + ", name=\"" + PartitionTable.DATA_LABEL + "\"\n";
        Tool.run(List.of("sfdisk", "-q", "--no-reread", "--no-tell-kernel", file.toString()), script.getBytes(StandardCharsets.US_ASCII), Map.of(), 60);
        Tool.run(List.of("mkfs.vfat", "-F", "32", "-s", "1", "-S", "512", "-n", "RAYOS_ESP", "--offset=2048", file.toString(),
                Long.toString(69632L * 512 / 1024)));
        return file;
    }

    /** The image with the loader files an image installs, normal entry counted with {@code tries}. */
    static Path laidOutImage(Path file, int tries) throws Exception {
        ImageEsp esp = ImageEsp.of(gptImage(file));
        for (Map.Entry<String, byte[]> e : EspFixture.files(tries).entrySet()) {
            esp.mkdirs(e.getKey().substring(0, e.getKey().lastIndexOf('/')));
            esp.write(e.getKey(), e.getValue());
        }
        return file;
    }

    @BeforeEach
    void make() throws Exception {
        image = gptImage(tmp.resolve("disk.img"));
    }

    @Test
    void theEspIsFoundInThePartitionTableAtItsOffset() throws Exception {
        ImageEsp esp = ImageEsp.of(image);
        assertThat(esp.describe()).isEqualTo("the ESP of " + image);
        assertThat(esp.list("loader")).isEmpty();
        assertThat(esp.read("loader/loader.conf")).isEmpty();
    }

    @Test
    void filesWrittenAreListedAndReadBackByteForByte() throws Exception {
        ImageEsp esp = ImageEsp.of(image);
        esp.mkdirs("loader/entries");
        esp.mkdirs("loader/entries"); // again: no error
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        esp.write("loader/entries/rayos+3.conf", "linux /a\n".getBytes(StandardCharsets.UTF_8));
        esp.write("loader/entries/rayos-safe.conf", "linux /b\n".getBytes(StandardCharsets.UTF_8));
        esp.write("loader/blob", big);
        assertThat(esp.list("loader/entries")).containsExactly("rayos+3.conf", "rayos-safe.conf");
        assertThat(esp.list("loader")).containsExactly("blob");
        assertThat(esp.read("loader/blob")).hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
        esp.write("loader/entries/rayos-safe.conf", "linux /c\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(esp.read("loader/entries/rayos-safe.conf").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("linux /c\n");
    }

    @Test
    void renameKeepsTheBytesAndRefusesAnExistingTarget() throws Exception {
        ImageEsp esp = ImageEsp.of(image);
        esp.mkdirs("loader/entries");
        esp.write("loader/entries/rayos+1-2.conf", "linux /a\n".getBytes(StandardCharsets.UTF_8));
        esp.write("loader/entries/other.conf", "linux /o\n".getBytes(StandardCharsets.UTF_8));
        esp.rename("loader/entries/rayos+1-2.conf", "loader/entries/rayos.conf");
        assertThat(esp.list("loader/entries")).containsExactly("other.conf", "rayos.conf");
        assertThat(esp.read("loader/entries/rayos.conf")).hasValueSatisfying(b -> assertThat(b).asString(StandardCharsets.UTF_8).isEqualTo("linux /a\n"));
        assertThatThrownBy(() -> esp.rename("loader/entries/rayos.conf", "loader/entries/other.conf"))
                .isInstanceOf(EntryException.class).hasMessage("loader/entries/other.conf already exists on the ESP of " + image);
        esp.delete("loader/entries/other.conf");
        esp.delete("loader/entries/other.conf");
        assertThat(esp.list("loader/entries")).containsExactly("rayos.conf");
    }

    @Test
    void aDeleteThatCannotChangeTheImageIsAnErrorNotASilentSuccess() throws Exception {
        ImageEsp esp = ImageEsp.of(image);
        esp.mkdirs("loader/entries");
        esp.write("loader/entries/rayos+1-2.conf", "linux /a\n".getBytes(StandardCharsets.UTF_8));
        // immutable (chattr +i): even root cannot open the image for writing, as with a write-protected disk
        assumeTrue(Tool.runAllowingFailure(List.of("chattr", "+i", image.toString()), null, Map.of(), 10).exit() == 0,
                "chattr +i is not supported on " + tmp + ": skipped");
        try {
            assertThatThrownBy(() -> esp.delete("loader/entries/rayos+1-2.conf")).isInstanceOf(EntryException.class)
                    .hasMessageStartingWith("mdel on the ESP of " + image + " failed: ");
            esp.delete("loader/entries/absent.conf"); // nothing to delete: still no error
        } finally {
            Tool.runAllowingFailure(List.of("chattr", "-i", image.toString()), null, Map.of(), 10);
        }
        assertThat(esp.list("loader/entries")).containsExactly("rayos+1-2.conf");
    }

    @Test
    void mixedCaseNamesKeepTheirCaseOnTheFat() throws Exception {
        ImageEsp esp = ImageEsp.of(image);
        esp.mkdirs("EFI/BOOT");
        esp.write("EFI/BOOT/BOOTX64.EFI", new byte[] {1, 2});
        esp.write("EFI/BOOT/MixedCase+1-2.conf", new byte[] {3});
        assertThat(esp.list("EFI/BOOT")).containsExactly("BOOTX64.EFI", "MixedCase+1-2.conf");
    }

    @Test
    void bootEntriesOnAnImageBlessAndResetTriesLikeOnAMountedEsp() throws Exception {
        Path img = laidOutImage(tmp.resolve("laid.img"), 3);
        BootEntries be = new BootEntries(ImageEsp.of(img));
        assertThat(be.list()).extracting(l -> l.name().file()).containsExactly("rayos+3.conf", "rayos-recovery.conf", "rayos-safe.conf");
        assertThat(be.list()).extracting(BootEntries.Listed::title).containsExactly("RayOS", "RayOS recovery", "RayOS (safe mode)");
        be.esp().rename("loader/entries/rayos+3.conf", "loader/entries/rayos+0-3.conf");
        assertThat(be.find("normal").name().state()).isEqualTo("bad");
        assertThat(be.resetTries("normal", 2).file()).isEqualTo("rayos+2.conf");
        assertThat(be.bless("normal").file()).isEqualTo("rayos.conf");
        assertThat(be.esp().list("loader/entries")).containsExactly("rayos-recovery.conf", "rayos-safe.conf", "rayos.conf");
    }

    @Test
    void aFileThatIsNotADiskImageIsOneClearLine() throws Exception {
        Path junk = Files.write(tmp.resolve("junk.img"), new byte[4096]);
        assertThatThrownBy(() -> ImageEsp.of(junk)).isInstanceOf(EntryException.class)
                .hasMessageStartingWith(junk + " is not a disk image with a partition table").message().doesNotContain("\n");
        assertThatThrownBy(() -> ImageEsp.of(tmp.resolve("absent.img"))).isInstanceOf(EntryException.class)
                .hasMessage("no image file at " + tmp.resolve("absent.img"));
    }

    @Test
    void pathsOutsideTheEspAreRefusedBeforeMtoolsRuns() throws Exception {
        ImageEsp esp = ImageEsp.of(image);
        for (String p : new String[] {"../x", "/x", "a/../b", "a:b", "a b", "*"}) {
            assertThatThrownBy(() -> esp.write(p, new byte[1])).as(p).isInstanceOf(EntryException.class);
        }
    }
}
