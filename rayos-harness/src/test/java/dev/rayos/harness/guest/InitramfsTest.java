package dev.rayos.harness.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsTest {
    @TempDir Path tmp;

    /** Lists a newc archive with the real cpio tool, the reference reader. */
    List<String> cpioList(byte[] archive) throws Exception {
        Path f = tmp.resolve("a.cpio");
        Files.write(f, archive);
        Process p = new ProcessBuilder("cpio", "-it", "--quiet").redirectInput(f.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        return new ArrayList<>(List.of(out.strip().split("\n")));
    }

    @Test
    void archiveIsReadableByCpioWithParentsFirst() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/cpio")) || Files.isExecutable(Path.of("/bin/cpio")),
                "skipped: cpio not installed (run .ci/install-harness.sh)");
        byte[] a = new Initramfs().file("init", "#!/bin/sh\n", 0755).file("lib/deep/x.ko", new byte[] {1, 2, 3}, 0644)
                .symlink("bin/sh", "busybox").toCpio();
        assertThat(cpioList(a)).containsExactly("init", "lib", "lib/deep", "lib/deep/x.ko", "bin", "bin/sh");
    }

    @Test
    void everyEntryIsFourByteAlignedAndEndsWithTheTrailer() throws Exception {
        byte[] a = new Initramfs().file("abc", "12345", 0644).toCpio();
        String s = new String(a, StandardCharsets.ISO_8859_1);
        assertThat(a.length % 4).isZero();
        assertThat(s).startsWith("070701").contains("TRAILER!!!");
        // data of "abc" starts after a 110-byte header + "abc\0" padded to 4
        assertThat(s.substring(116, 121)).isEqualTo("12345");
    }

    @Test
    void pathsLeavingTheArchiveAreRefused() {
        assertThatThrownBy(() -> new Initramfs().file("../etc/passwd", "x", 0644)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Initramfs().file("/", "x", 0644)).isInstanceOf(IllegalArgumentException.class);
    }
}
