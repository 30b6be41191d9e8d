package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data file system's own checker, e2fsck, on a real ext4 image damaged with debugfs. */
class FilesystemCheckTest {
    @TempDir
    Path tmp;
    TestMachine m;
    Path img;

    @BeforeEach
    void image() throws Exception {
        assumeTrue(run("mke2fs", "-V") == 0 && run("e2fsck", "-V") == 0 && run("debugfs", "-V") == 0,
                "e2fsprogs is absent (.ci/install-recovery.sh installs it)");
        m = new TestMachine(tmp.resolve("root"));
        m.boot(1);
        Path content = tmp.resolve("content");
        Files.createDirectories(content);
        Files.writeString(content.resolve("a.txt"), "data\n");
        img = tmp.resolve("data.img");
        assertThat(run("mke2fs", "-q", "-t", "ext4", "-F", "-d", content.toString(), img.toString(), "8M")).isZero();
    }

    private static int run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return p.exitValue();
        } catch (IOException absent) {
            return -1;
        }
    }

    private Report repair(boolean dry, boolean yes) throws Exception {
        return Repair.run(m.layout, new Repair.Options(dry, yes, img.toString()), List.of(new FilesystemCheck()));
    }

    @Test
    void aWrongLinkCountIsFixedByE2fsckPreenAndADryRunOnlySaysSo() throws Exception {
        assertThat(run("debugfs", "-w", "-R", "sif <2> links_count 7", img.toString())).isZero();
        String before = TestMachine.sha256(img);
        Report dry = repair(true, false);
        assertThat(TestMachine.sha256(img)).as("image after a dry run").isEqualTo(before);
        assertThat(dry.changes()).extracting(Report.Change::line).singleElement().asString()
                .startsWith("would fsck " + img + ": e2fsck -n found 1 error (Inode 2 ref count is 7, should be 3)");
        Report r = repair(false, false);
        assertThat(r.changes()).extracting(Report.Change::line).singleElement().asString()
                .startsWith("fsck " + img + ": e2fsck -p fixed");
        assertThat(run("e2fsck", "-f", "-n", img.toString())).as("e2fsck -n after repair").isZero();
    }

    @Test
    void damagePreenWillNotFixNeedsYesAndIsFixedWithIt() throws Exception {
        assertThat(run("debugfs", "-w", "-R", "clri <2>", img.toString())).isZero();
        Report without = repair(false, false);
        assertThat(without.unresolved()).singleElement().asString().contains("rerun with --yes")
                .startsWith("filesystem: " + Repair.NEEDS_YES + " on " + img);
        assertThat(run("e2fsck", "-f", "-n", img.toString())).as("still damaged").isNotZero();
        Report with = repair(false, true);
        assertThat(with.changes()).extracting(Report.Change::line).singleElement().asString()
                .startsWith("fsck " + img + ": e2fsck -y fixed");
        assertThat(with.unresolved()).isEmpty();
        assertThat(run("e2fsck", "-f", "-n", img.toString())).as("e2fsck -n after repair --yes").isZero();
    }

    @Test
    void aCleanFileSystemIsLeftAsItIs() throws Exception {
        String before = TestMachine.sha256(img);
        Report r = repair(true, false);
        assertThat(r.changes()).isEmpty();
        assertThat(r.notes()).singleElement().asString().contains("is clean");
        assertThat(TestMachine.sha256(img)).isEqualTo(before);
    }

    @Test
    void withoutDeviceItChecksThePartitionInitFoundAndLeftUnmountedAndSaysToReboot() throws Exception {
        assertThat(run("debugfs", "-w", "-R", "sif <2> links_count 7", img.toString())).isZero();
        Files.createDirectories(m.layout.root().resolve("run/rayos"));
        Files.writeString(m.layout.root().resolve("run/rayos/data-device"), img + "\n");
        Report r = Repair.run(m.layout, new Repair.Options(false, false, null), List.of(new FilesystemCheck()));
        assertThat(r.changes()).extracting(Report.Change::line).singleElement().asString()
                .startsWith("fsck " + img + ": e2fsck -p fixed");
        assertThat(run("e2fsck", "-f", "-n", img.toString())).isZero();
    }

    @Test
    void somethingE2fsckCannotOpenIsReportedAsNotCheckedAndNothingIsClaimed() throws Exception {
        Files.write(img, new byte[1 << 20]);
        Report r = repair(false, true);
        assertThat(r.changes()).isEmpty();
        assertThat(r.unresolved()).singleElement().asString()
                .startsWith("filesystem: e2fsck -p " + img + " could not check it (exit 8)");
        Report dry = repair(true, false);
        assertThat(dry.unresolved()).singleElement().asString().contains("could not check it (exit 8)");
    }

    @Test
    void aMountedDeviceIsNotCheckedAndWhatInitsCheckAtThisBootFoundIsSaid() throws Exception {
        // a device that is mounted here for certain: what the kernel lists for /proc
        String proc = FilesystemCheck.mounts().stream().filter(x -> x[1].equals("/proc")).findFirst().orElseThrow()[0];
        Report without = Repair.run(m.layout, new Repair.Options(false, false, proc), List.of(new FilesystemCheck()));
        assertThat(without.unresolved()).singleElement().asString().contains("is mounted at /proc");
        Files.createDirectories(m.layout.root().resolve("run/rayos"));
        Files.writeString(m.layout.root().resolve("run/rayos/data-check"), "1 3.10 3.52\n");
        Report with = Repair.run(m.layout, new Repair.Options(false, false, proc), List.of(new FilesystemCheck()));
        assertThat(with.unresolved()).isEmpty();
        assertThat(with.notes()).singleElement().asString()
                .contains("e2fsck -p checked it before it was mounted at this boot: corrected (exit 1)");
    }
}
