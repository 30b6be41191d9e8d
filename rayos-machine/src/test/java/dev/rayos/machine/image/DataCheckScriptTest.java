package dev.rayos.machine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.machine.disk.Ext4Images;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's /init checks the data partition before mounting it: its {@code data_check} function,
 * run by the real busybox sh with the real e2fsck on real damaged ext4 images, as in the guest.
 */
class DataCheckScriptTest {
    @TempDir
    Path tmp;
    Path run;

    @BeforeEach
    void tools() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "no /bin/busybox (.ci/install-harness.sh installs it)");
        assumeTrue(Ext4Images.present(), "e2fsprogs is absent (.ci/install-machine.sh installs it)");
        run = Files.createDirectories(tmp.resolve("run"));
    }

    /** What data_check printed (the outcome); its record and e2fsck's output are in {@link #run}. */
    private String check(Path img) throws Exception {
        Path script = tmp.resolve("check.sh");
        Files.writeString(script, InitScript.dataCheck() + "data_check \"$1\" \"$2\"\n");
        Ext4Images.Ran r = Ext4Images.run("/bin/busybox", "sh", script.toString(), img.toString(), run.toString());
        assertThat(r.code()).as(r.output()).isZero();
        return r.output().strip();
    }

    private String record() throws Exception {
        return Files.readString(run.resolve("data-check"));
    }

    @Test
    void aCleanPartitionIsCleanAndItsStatusAndTimesAreRecorded() throws Exception {
        Path img = Ext4Images.make(tmp.resolve("data.img"));
        assertThat(check(img)).isEqualTo("clean");
        assertThat(record()).matches("0 [0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2}\n");
        assertThat(Files.readString(run.resolve("data-check.out"))).contains("clean");
    }

    @Test
    void aWrongLinkCountIsCorrectedBeforeTheMountAndE2fscksWordsAreKept() throws Exception {
        Path img = Ext4Images.withWrongLinkCount(tmp.resolve("data.img"));
        assertThat(check(img)).isEqualTo("corrected");
        assertThat(record()).startsWith("1 ");
        assertThat(Files.readString(run.resolve("data-check.out"))).contains("Inode 2 ref count is 7").contains("FIXED");
        assertThat(Ext4Images.checkOnly(img)).as("clean afterwards").isZero();
    }

    @Test
    void damagePreenWillNotFixIsLeftForAPersonAndReportedUncorrected() throws Exception {
        Path img = Ext4Images.withIllegalSocket(tmp.resolve("data.img"));
        assertThat(check(img)).isEqualTo("uncorrected");
        assertThat(record()).startsWith("4 ");
        assertThat(Files.readString(run.resolve("data-check.out"))).contains("UNEXPECTED INCONSISTENCY");
        assertThat(Ext4Images.checkOnly(img)).as("still damaged: -p changed nothing it was unsure of").isNotZero();
    }

    @Test
    void somethingThatIsNoFileSystemFailsTheCheck() throws Exception {
        Path img = Ext4Images.notAFileSystem(tmp.resolve("data.img"));
        assertThat(check(img)).isEqualTo("failed");
        assertThat(record()).startsWith("8 ");
    }

    @Test
    void damageOnAPartitionMarkedCleanIsNotReadThroughAtBootAsFsckDoes() throws Exception {
        Path img = Ext4Images.make(tmp.resolve("data.img"));
        Ext4Images.debugfs(img, "sif <2> links_count 7");
        assertThat(check(img)).as("without -f, e2fsck -p trusts the clean flag; rayos repair runs -f").isEqualTo("clean");
        assertThat(Ext4Images.checkOnly(img)).isNotZero();
    }
}
