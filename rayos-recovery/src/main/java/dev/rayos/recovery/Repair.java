package dev.rayos.recovery;

import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rayos repair}: runs a list of {@link Check}s over the machine's layout. The standard list
 * is {@link #standardChecks()}; the boot entries' check (module rayos-machine) is one more
 * {@code Check} added to it.
 */
public final class Repair {
    /**
     * @param dryRun report each change, make none
     * @param yes    answer yes to a checker's questions ({@code e2fsck -y} after {@code -p} gave up)
     * @param device the data partition's device, or null to find it in /proc/mounts (root {@code /} only)
     */
    public record Options(boolean dryRun, boolean yes, String device) {}

    /**
     * How the report's line begins when {@code e2fsck -p} left errors only {@code --yes} lets
     * e2fsck fix: the recovery console offers the rerun when it sees it.
     */
    public static final String NEEDS_YES = "e2fsck -p left errors";

    private Repair() {}

    /**
     * The checks, in the order they run: the file system first (before any file is read), then
     * the history (so {@code current_boot_id} is judged against readable boots), the rings (which
     * opens the action log), the logs and the crash reports.
     */
    public static List<Check> standardChecks() {
        List<Check> c = new ArrayList<>();
        c.add(new FilesystemCheck());
        c.add(new HistoryCheck());
        c.add(new CurrentBootIdCheck());
        c.add(new RingsCheck());
        c.add(new LogFilesCheck());
        c.add(new CrashReportsCheck());
        c.add(new BootEntriesCheck());
        return c;
    }

    /** Runs {@code checks} in order and returns what was (or in a dry run, would be) changed. */
    public static Report run(RootLayout layout, Options options, List<Check> checks) throws IOException {
        Report report = new Report(options.dryRun());
        try (ActionLog log = new ActionLog(layout)) {
            RepairContext ctx = new RepairContext(layout, options, report, log);
            for (Check c : checks) {
                ctx.check(c.name());
                try {
                    c.run(ctx);
                } catch (IOException | RuntimeException e) {
                    ctx.unresolved("the check stopped: " + e.getMessage());
                }
            }
            ctx.check("repair");
            if (!options.dryRun()) {
                ctx.openLog(); // events of checks that ran before the log was open are logged now
                log.action("repair", report.troubled() ? "incomplete" : "done",
                        "changes", Integer.toString(report.changes().size()),
                        "unresolved", Integer.toString(report.unresolved().size()));
            }
        }
        return report;
    }
}
