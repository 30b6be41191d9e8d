package dev.rayos.harness;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.harness.guest.GuestKit;
import java.io.IOException;
import java.nio.file.Path;

/** Test side of {@link GuestKit}: skip without QEMU, fail (not skip) when QEMU is there but the kernel is not. */
final class QemuGuest {
    private QemuGuest() {}

    static GuestKit kit() {
        assumeTrue(GuestKit.qemuPresent(), "skipped: qemu-system-x86_64 is not installed (run .ci/install-harness.sh)");
        return GuestKit.find().orElseGet(() -> fail("QEMU is installed but the guest parts are not: " + GuestKit.missing()));
    }

    /** A config for a guest running {@code script} after the prelude, with a test-sized watchdog. */
    static MachineConfig.Builder guest(Path dir, String script) throws IOException {
        GuestKit kit = kit();
        return kit.machine(kit.initramfs(dir, script));
    }
}
