package dev.rayos.machine.agent;

import java.nio.file.Path;

/**
 * Where the agent finds the kernel's interfaces, all relative to the machine's root, so that on a
 * test root ({@code --root DIR}) they are plain files and nothing touches the host's real ones
 * (a software watchdog on a test root writes its reboot request into {@code DIR/proc/sysrq-trigger},
 * a plain file).
 */
public record MachinePaths(Path root) {
    public Path cmdline() { return root.resolve("proc/cmdline"); }
    /** Seconds since the kernel started (absent on a test root). */
    public Path uptime() { return root.resolve("proc/uptime"); }
    public Path efivars() { return root.resolve("sys/firmware/efi/efivars"); }
    public Path esp() { return root.resolve("efi"); }
    public Path watchdog() { return root.resolve("dev/watchdog"); }
    /** sysfs's view of the watchdog: its timeout (the driver's heartbeat) in seconds. */
    public Path watchdogTimeout() { return root.resolve("sys/class/watchdog/watchdog0/timeout"); }
    public Path pstore() { return root.resolve("sys/fs/pstore"); }
    public Path sysrq() { return root.resolve("proc/sysrq-trigger"); }
    /** The image's known-good copy of the ESP's loader files. */
    public Path factoryEsp() { return root.resolve("usr/lib/rayos/esp"); }
    public Path components() { return root.resolve(Component.LIST); }
    public Path componentDir() { return root.resolve(Component.DIR); }
    /** The data partition's device, as /init found it (by label), mounted or not. */
    public Path dataDevice() { return root.resolve("run/rayos/data-device"); }
    /** /init's record of the data partition's check ({@code e2fsck -p}) at this boot. */
    public Path dataCheck() { return root.resolve("run/rayos/data-check"); }
    /** e2fsck's output of that check. */
    public Path dataCheckOutput() { return root.resolve("run/rayos/data-check.out"); }
    /** The mode /init chose instead of the kernel line's (recovery, when the data partition's check failed). */
    public Path modeOverride() { return root.resolve("run/rayos/mode"); }
}
