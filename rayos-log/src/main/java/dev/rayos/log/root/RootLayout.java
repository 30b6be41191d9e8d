package dev.rayos.log.root;

import dev.rayos.log.root.BootId;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Every path a RayOS machine stores, under one root (ARCHITECTURE.md, "Layout under the root").
 * Names that become path segments are checked here, so nothing from input or from a file's
 * content can reach outside the root.
 */
public final class RootLayout {
    /** Category names: the directories under {@code var/rayos/logs/}. */
    private static final Pattern CATEGORY = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    /** VM names: the directories under {@code var/rayos/vm/}; no '/', and no "." or ".." (first is alphanumeric). */
    private static final Pattern VM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Path root;

    public RootLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * The root chosen the documented way: {@code option} when given, else {@code $RAYOS_ROOT},
     * else {@code /}.
     */
    public static RootLayout choose(String option) {
        String r = option;
        if (r == null || r.isEmpty()) {
            r = System.getenv("RAYOS_ROOT");
        }
        if (r == null || r.isEmpty()) {
            r = "/";
        }
        return new RootLayout(Path.of(r));
    }

    public Path root() {
        return root;
    }

    public Path policyFile() {
        return root.resolve("etc/rayos/policy.conf");
    }

    /** Volatile state: the persistent rings live here (the pstore analogue). */
    public Path runDir() {
        return root.resolve("run/rayos");
    }

    /** The syslog socket ({@code docs/bridges.md}): where {@code logger -u} and syslog(3) clients write. */
    public Path syslogSocket() {
        return runDir().resolve("log.sock");
    }

    /** State of the forwarder: its durable cursor over the log files. */
    public Path forwardDir() {
        return root.resolve("var/rayos/forward");
    }

    /** Whether a forwarder runs on this boot, who runs it, and whether its collector answers (volatile). */
    public Path forwardState() {
        return runDir().resolve("forward.state");
    }

    /** The forwarder's cursor over one category's files ({@code docs/bridges.md}, "Cursor"). */
    public Path forwardCursor(String category) {
        return forwardDir().resolve(requireCategory(category) + ".cursor");
    }

    /**
     * What the store removed of one category's files while a forwarder follows it, and the older
     * half of that record ({@code docs/bridges.md}, "Lost lines").
     */
    public Path[] removedRecords(String category) {
        String c = requireCategory(category);
        return new Path[] {forwardDir().resolve(c + ".removed.old"), forwardDir().resolve(c + ".removed")};
    }

    public Path ringDir() {
        return runDir().resolve("ring");
    }

    /** Where each logging process keeps its own troubles for {@code rayos status} ({@code docs/status-file.md}). */
    public Path statusDir() {
        return runDir().resolve("status");
    }

    /** The status file of the logging process {@code pid}: {@code run/rayos/status/<pid>.status}. */
    public Path statusFile(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " is not a process id");
        }
        return statusDir().resolve(pid + ".status");
    }

    public Path logsDir() {
        return root.resolve("var/rayos/logs");
    }

    /** The directory of one log category ({@code boot} is the main log). */
    public Path categoryDir(String category) {
        return logsDir().resolve(requireCategory(category));
    }

    /** The active log file of a boot in a category: {@code logs/<category>/<boot_id>.log}. */
    public Path logFile(String category, BootId boot) {
        return categoryDir(category).resolve(LogFileName.active(boot).fileName());
    }

    /**
     * The readers' time index of one boot's files in one category ({@code docs/log-times.md}): a
     * cache, rebuilt from the log files whenever it is missing, stale or damaged.
     */
    public Path logTimesFile(String category, BootId boot) {
        return root.resolve("var/cache/rayos/log-times").resolve(requireCategory(category)).resolve(boot.hex() + ".times");
    }

    public Path bootDir() {
        return root.resolve("var/rayos/boot");
    }

    public Path currentBootIdFile() {
        return bootDir().resolve("current_boot_id");
    }

    public Path historyDir() {
        return bootDir().resolve("history");
    }

    public Path historyFile(BootId boot) {
        return historyDir().resolve(boot.hex() + ".json");
    }

    public Path crashPanicsDir() {
        return root.resolve("var/rayos/crash/panics");
    }

    public Path crashReport(BootId boot) {
        return crashPanicsDir().resolve(boot.hex() + ".log");
    }

    /** The data partition's mount point (the one directory a factory reset empties). */
    public Path dataDir() {
        return root.resolve("var/rayos");
    }

    /** Crash reports and the log of the boot that ran a factory reset, kept through it. */
    public Path crashPreservedDir() {
        return root.resolve("var/rayos/crash/preserved");
    }

    public Path vmsDir() {
        return root.resolve("var/rayos/vm");
    }

    /** The directory of one VM: its disks ({@code disk*.qcow2|raw}) and saved state ({@code state/}). */
    public Path vmDir(String name) {
        return vmsDir().resolve(requireVmName(name));
    }

    /** What the recovery tools keep: the factory-reset journal, the quarantine. */
    public Path recoveryDir() {
        return root.resolve("var/rayos/recovery");
    }

    /** Where repair moves what it could not parse, each file under its path relative to the root. */
    public Path quarantineDir() {
        return recoveryDir().resolve("quarantine");
    }

    /** The journal of a factory reset in progress ({@code docs/recovery.md}). */
    public Path resetJournal() {
        return recoveryDir().resolve("factory-reset.journal");
    }

    /** The path relative to the root, as shown to people and stored in history files. */
    public String relative(Path p) {
        return root.relativize(p.toAbsolutePath().normalize()).toString();
    }

    /** True when {@code name} may be a log category. */
    public static boolean isCategory(String name) {
        return name != null && CATEGORY.matcher(name).matches();
    }

    /** Checks a category name before it becomes a directory. */
    public static String requireCategory(String name) {
        if (!isCategory(name)) {
            throw new IllegalArgumentException("category '" + (name == null ? "null"
                    : dev.rayos.log.line.LineCodec.printable(name)) + "' is not [a-z][a-z0-9_-]* of at most 32 characters");
        }
        return name;
    }

    /** True when {@code name} may name a VM directory. */
    public static boolean isVmName(String name) {
        return name != null && VM_NAME.matcher(name).matches();
    }

    /** Checks a VM name before it becomes a directory. */
    public static String requireVmName(String name) {
        if (!isVmName(name)) {
            throw new IllegalArgumentException("VM name '" + (name == null ? "null"
                    : dev.rayos.log.line.LineCodec.printable(name))
                    + "' is not a letter or digit followed by at most 63 of [A-Za-z0-9_.-]");
        }
        return name;
    }

    /**
     * Checks that an existing path, links resolved, is still inside the root, before anything is
     * written or deleted there.
     *
     * @throws java.io.IOException when it resolves outside the root (or cannot be resolved)
     */
    public void requireInside(Path p) throws java.io.IOException {
        Path real = p.toRealPath();
        Path r = root.toRealPath();
        if (!real.startsWith(r)) {
            throw new java.io.IOException(p + " resolves to " + real + ", outside the root " + r);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
