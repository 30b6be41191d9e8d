package dev.rayos.recovery;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.nio.file.Path;

/**
 * A process of early boot (store not mounted) that logs {@code n} lines into its ring, prints
 * {@code HELD}, and waits to be killed: it leaves a ring of a dead process. Args: root, boot, n.
 */
public final class HeldRingChild {
    private HeldRingChild() {}

    public static void main(String[] args) throws Exception {
        LogSystem s = LogSystem.builder(new RootLayout(Path.of(args[0]))).boot(BootId.parse(args[1]))
                .console(java.io.OutputStream.nullOutputStream()).mounted(false).open();
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            s.logger("early").info("HELD_LINE").kv("n", i).log();
        }
        System.out.println("HELD");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
