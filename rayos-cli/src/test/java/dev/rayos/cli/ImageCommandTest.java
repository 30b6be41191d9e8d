package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bad-input side of {@code rayos image build} (the images themselves are booted by the QEMU suites). */
class ImageCommandTest {
    @TempDir
    Path tmp;

    Cli.Result build(String... more) throws Exception {
        Path jar = Files.writeString(tmp.resolve("rayos.jar"), "not read: input is checked first");
        String[] args = new String[more.length + 6];
        args[0] = "image";
        args[1] = "build";
        args[2] = "--out";
        args[3] = tmp.resolve("out.img").toString();
        args[4] = "--jar";
        args[5] = jar.toString();
        System.arraycopy(more, 0, args, 6, more.length);
        return Cli.run(args);
    }

    @Test
    void aBadComponentOrSizeIsOneLineExitTwoAndNoImageIsWritten() throws Exception {
        String[][] cases = {
            {"--component", "web"},
            {"--component", "Web=/bin/true"},
            {"--component", "web=:safe"},
            {"--component", "../x=/bin/true"},
            {"--component", "web=/bin/true", "--component", "web=/bin/false"},
            {"--size", "1.5G"},
            {"--size", "10M"},
            {"--size", "lots"},
        };
        for (String[] c : cases) {
            Cli.Result r = build(c);
            assertThat(r.exit()).as(String.join(" ", c) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().lines().toList()).as(String.join(" ", c)).hasSize(1);
            assertThat(r.err()).startsWith("rayos: ");
            assertThat(r.out()).isEmpty();
        }
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("rayos.jar");
        }
    }
}
