package dev.rayos.log;

import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Main class of a child JVM whose thread dies of an exception nobody catches, with the panic
 * handler installed. Arguments: root, boot id, and {@code mounted} (the data partition is there),
 * {@code broken} (mounted, but a regular file where {@code crash/panics/} should be) or
 * {@code early} (not mounted yet).
 */
public final class PanickingJvm {
    private PanickingJvm() {}

    public static void main(String[] args) throws Exception {
        RootLayout layout = new RootLayout(Path.of(args[0]));
        String mode = args[2];
        LogSystem sys = LogSystem.builder(layout).boot(new BootId(args[1]))
                .console(new FileOutputStream(FileDescriptor.out)).mounted(!mode.equals("early")).open();
        if (mode.equals("broken")) {
            Files.deleteIfExists(layout.crashPanicsDir());
            Files.writeString(layout.crashPanicsDir(), "not a directory");
        }
        Panic.of(sys, "vm.supervisor").installAsUncaughtExceptionHandler(true);
        for (int i = 0; i < 50; i++) {
            sys.logger("vm.supervisor").info("GUEST_TICK").kv("i", i).log();
        }
        Thread t = new Thread(PanickingJvm::fail, "guest-io");
        t.start();
        t.join();
        TimeUnit.SECONDS.sleep(30); // not reached: the handler halts the JVM
        System.exit(3);
    }

    private static void fail() {
        throw new IllegalStateException("virtqueue index out of range");
    }
}
