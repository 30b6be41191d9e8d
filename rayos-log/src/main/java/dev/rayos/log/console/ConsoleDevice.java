package dev.rayos.log.console;

import dev.rayos.log.root.RootLayout;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The device the console sink writes to, as the policy's {@code console.device} names it: the
 * process's stdout or stderr (which closing the sink must not close), an absolute path such as
 * {@code /dev/ttyS0}, or a file under the root (kept inside it).
 */
public final class ConsoleDevice {
    private ConsoleDevice() {}

    /** Opens the console device: stdout, stderr, an absolute path, or a path under the root. */
    public static OutputStream open(RootLayout layout, String device) throws IOException {
        switch (device) {
            case "stdout":
                return unclosable(new FileOutputStream(FileDescriptor.out));
            case "stderr":
                return unclosable(new FileOutputStream(FileDescriptor.err));
            default:
                Path p = Path.of(device);
                if (!p.isAbsolute()) {
                    p = layout.root().resolve(device).normalize();
                    if (!p.startsWith(layout.root())) {
                        throw new IOException("console.device '" + device + "' leads outside the root");
                    }
                    Files.createDirectories(p.getParent());
                }
                return new FileOutputStream(p.toFile(), true);
        }
    }

    /** The process's own stdout or stderr: the console sink closes its device, but not these. */
    public static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
