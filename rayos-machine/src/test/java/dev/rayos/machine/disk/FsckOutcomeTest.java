package dev.rayos.machine.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** e2fsck's exit statuses read as e2fsck(8) documents them, in Java and in the image's /init (busybox sh). */
class FsckOutcomeTest {
    @TempDir
    Path tmp;

    @Test
    void eachDocumentedStatusMeansWhatTheManualSays() {
        assertThat(FsckOutcome.of(0)).isEqualTo(FsckOutcome.CLEAN);
        assertThat(FsckOutcome.of(1)).isEqualTo(FsckOutcome.CORRECTED);
        assertThat(FsckOutcome.of(2)).isEqualTo(FsckOutcome.REBOOT);
        assertThat(FsckOutcome.of(3)).as("1 + 2").isEqualTo(FsckOutcome.REBOOT);
        assertThat(FsckOutcome.of(4)).isEqualTo(FsckOutcome.UNCORRECTED);
        assertThat(FsckOutcome.of(5)).as("1 + 4: some corrected, some left").isEqualTo(FsckOutcome.UNCORRECTED);
        for (int failed : new int[] {8, 12, 16, 32, 36, 128, 255, 256, -1}) {
            assertThat(FsckOutcome.of(failed)).as("status " + failed).isEqualTo(FsckOutcome.FAILED);
        }
        assertThat(FsckOutcome.CORRECTED.mountable()).isTrue();
        assertThat(FsckOutcome.UNCORRECTED.mountable()).isFalse();
        assertThat(FsckOutcome.FAILED.mountable()).isFalse();
    }

    @Test
    void theInitScriptsReadingAgreesWithJavasForEveryStatus() throws Exception {
        Path busybox = Path.of("/bin/busybox");
        assumeTrue(Files.isExecutable(busybox), "no /bin/busybox (busybox-static; .ci/install-harness.sh installs it)");
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i <= 300; i++) {
            statuses.add(Integer.toString(i));
        }
        statuses.addAll(List.of("", "x", "-1", "4x", "1.5"));
        StringBuilder script = new StringBuilder(FsckOutcome.shellFunction());
        for (String s : statuses) {
            script.append("fsck_outcome '").append(s).append("'\n");
        }
        Path f = tmp.resolve("outcome.sh");
        Files.writeString(f, script.toString());
        Ext4Images.Ran r = Ext4Images.run(busybox.toString(), "sh", f.toString());
        assertThat(r.code()).as(r.output()).isZero();
        List<String> got = r.output().lines().toList();
        assertThat(got).hasSize(statuses.size());
        for (int i = 0; i < statuses.size(); i++) {
            String s = statuses.get(i);
            FsckOutcome want = s.matches("[0-9]+") ? FsckOutcome.of(Integer.parseInt(s)) : FsckOutcome.FAILED;
            assertThat(got.get(i)).as("status '" + s + "'").isEqualTo(want.id());
        }
    }

    @Test
    void aRealE2fsckOnRealImagesGivesEachOutcome() throws Exception {
        assumeTrue(Ext4Images.present(), "e2fsprogs is absent (.ci/install-machine.sh installs it)");
        Path clean = Ext4Images.make(tmp.resolve("clean.img"));
        Path link = Ext4Images.withWrongLinkCount(tmp.resolve("link.img"));
        Path socket = Ext4Images.withIllegalSocket(tmp.resolve("socket.img"));
        Path zeros = Ext4Images.notAFileSystem(tmp.resolve("zeros.img"));

        assertThat(outcome("-p", clean)).isEqualTo(FsckOutcome.CLEAN);
        assertThat(outcome("-p", link)).isEqualTo(FsckOutcome.CORRECTED);
        assertThat(Ext4Images.checkOnly(link)).as("clean after -p").isZero();
        assertThat(outcome("-p", socket)).isEqualTo(FsckOutcome.UNCORRECTED);
        assertThat(Ext4Images.checkOnly(socket)).as("still damaged after -p").isNotZero();
        assertThat(outcome("-y", socket)).as("what -p leaves, -y fixes").isEqualTo(FsckOutcome.CORRECTED);
        assertThat(Ext4Images.checkOnly(socket)).as("clean after -y").isZero();
        assertThat(outcome("-p", zeros)).isEqualTo(FsckOutcome.FAILED);
    }

    private static FsckOutcome outcome(String mode, Path img) {
        return FsckOutcome.of(Ext4Images.run("e2fsck", mode, img.toString()).code());
    }
}
