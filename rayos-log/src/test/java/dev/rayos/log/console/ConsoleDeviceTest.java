package dev.rayos.log.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.RootLayout;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console device a policy names: the process's own streams (never closed by the sink), or a file. */
class ConsoleDeviceTest {
    @TempDir
    Path root;

    @Test
    void closingTheProcesssOwnStreamHandsOverWhatItHeldAndLeavesItOpen() throws Exception {
        ByteArrayOutputStream fd = new ByteArrayOutputStream();
        OutputStream buffered = new BufferedOutputStream(fd, 1024);
        OutputStream console = ConsoleDevice.unclosable(buffered);
        console.write("RAYOS_READY\n".getBytes(StandardCharsets.US_ASCII));
        console.close();
        assertThat(fd.toString(StandardCharsets.US_ASCII)).isEqualTo("RAYOS_READY\n");
        buffered.write('x'); // still open
        buffered.flush();
        assertThat(fd.toString(StandardCharsets.US_ASCII)).isEqualTo("RAYOS_READY\nx");
    }

    @Test
    void stdoutAndStderrOpenAsTheProcesssStreamsAndSurviveTheSinksClose() throws Exception {
        for (String name : new String[] {"stdout", "stderr"}) {
            OutputStream out = ConsoleDevice.open(new RootLayout(root), name);
            out.write(new byte[0]);
            out.close();
        }
        assertThat(FileDescriptor.out.valid()).isTrue();
        assertThat(FileDescriptor.err.valid()).isTrue();
    }

    @Test
    void aRelativeDeviceIsAFileUnderTheRootAndNothingOutsideIt() throws Exception {
        try (OutputStream out = ConsoleDevice.open(new RootLayout(root), "run/console.log")) {
            out.write("line\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (OutputStream out = ConsoleDevice.open(new RootLayout(root), "run/console.log")) {
            out.write("more\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(Files.readString(root.resolve("run/console.log"))).isEqualTo("line\nmore\n");
        assertThatThrownBy(() -> ConsoleDevice.open(new RootLayout(root), "../x"))
                .hasMessage("console.device '../x' leads outside the root");
    }
}
