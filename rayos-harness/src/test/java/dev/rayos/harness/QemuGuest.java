package dev.rayos.harness;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.harness.guest.GuestKit;
import java.io.IOException;
import java.nio.file.Path;

/** Test side of {@link GuestKit}: skip without QEMU, fail (not skip) when QEMU is there but the kernel is not. */
final class QemuGuest {
    /**
     * How long a test guest may take to reach userspace. About 3 s of guest time, but the 2
     * cores here are shared with other jobs and a boot under TCG was measured at 8-20 s
     * wall time under load; the behaviour under test is then bounded separately and tightly.
     */
    static final int BOOT_SECONDS = 90;

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
