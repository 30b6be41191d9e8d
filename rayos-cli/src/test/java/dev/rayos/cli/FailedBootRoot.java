package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.Panic;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

/**
 * A machine whose last normal boot failed, made through the real commands and the real panic path:
 * boot, an error, a panic (crash report, history end=crash), then a recovery boot running.
 */
final class FailedBootRoot {
    static final String REASON = "cannot mount the data partition";

    private FailedBootRoot() {}

    /** Makes the machine at {@code root}; returns the failed boot. */
    static BootId make(Path root) throws Exception {
        BootId failed = new BootId(ok(root, "boot").strip());
        ok(root, "log", "kernel", "RAYOS_KERNEL_START");
        ok(root, "log", "--level", "ERROR", "disk", "MOUNT_FAILED", "dev=/dev/vda2", "detail=superblock unreadable");
        try (LogSystem sys = LogSystem.builder(new RootLayout(root)).boot(failed)
                .console(new ByteArrayOutputStream()).open()) {
            assertThat(Panic.of(sys, "init").panic(REASON).file()).isNotNull();
        }
        ok(root, "boot", "--mode", "recovery");
        return failed;
    }

    private static String ok(Path root, String... args) {
        Cli.Result r = Cli.onRoot(root, args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r.out();
    }
}
