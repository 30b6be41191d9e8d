package dev.rayos.log.child;

import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.nio.file.Path;

/** A child process that logs {@code count} numbered lines as process {@code id}, then exits cleanly. */
public final class LineWriter {
    private LineWriter() {}

    public static void main(String[] args) throws Exception {
        RootLayout layout = new RootLayout(Path.of(args[0]));
        BootId boot = BootId.parse(args[1]);
        int id = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).open()) {
            Logger log = sys.logger("proc");
            for (int n = 1; n <= count; n++) {
                log.info("LINE").kv("p", id).kv("n", n).kv("pad", "0123456789abcdef0123456789abcdef").log();
            }
        }
    }
}
