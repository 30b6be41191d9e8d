package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.policy.Policy;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The category files of one drainer: a pass's lines go to their categories' files, and closing lets go of them all. */
class CategoryFilesTest {
    static final BootId BOOT = BootId.parse("0123456789abcdef0123456789abcdef");

    @TempDir
    Path root;

    @Test
    void aPassWritesEachCategorysLinesToItsFileAndClosingLeavesNoDescriptorOpen() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc");
        RootLayout layout = new RootLayout(root);
        Ring ring = Ring.create(layout.ringDir().resolve("1.ring"), 64 * 1024, BOOT);
        int boot = ring.categoryIndex("boot");
        int app = ring.categoryIndex("app");
        Syncer syncer = new Syncer(seq -> { }, e -> { }, "test-syncer");
        try {
            CategoryFiles files = new CategoryFiles(ring, layout, BOOT, Policy.DEFAULTS, syncer, 4096);
            byte[] a = "one".getBytes(StandardCharsets.US_ASCII);
            byte[] b = "two".getBytes(StandardCharsets.US_ASCII);
            files.add(boot, a, 0, a.length);
            files.add(app, b, 0, b.length);
            files.add(boot, b, 0, b.length);
            files.writeAll();
            files.clear();
            assertThat(CategoryFileTest.openIn(layout.logsDir())).as("two files and their two lock files").isEqualTo(4);
            files.close();
        } finally {
            syncer.close(10_000);
        }
        assertThat(CategoryFileTest.openIn(layout.logsDir())).isZero();
        assertThat(Files.readString(layout.logFile("boot", BOOT))).isEqualTo("one\ntwo\n");
        assertThat(Files.readString(layout.logFile("app", BOOT))).isEqualTo("two\n");
        ring.close();
    }
}
