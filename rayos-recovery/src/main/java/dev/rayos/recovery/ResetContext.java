package dev.rayos.recovery;

import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.file.Path;

/** What a {@link FactoryReset.Step} works with: the root, the mode, the boot running the reset. */
public final class ResetContext {
    private final RootLayout layout;
    private final FactoryReset.Mode mode;
    private final BootId boot;
    private final Report report;
    private final ActionLog log;
    private final FactoryReset.Progress progress;
    private final SafeTree tree;

    ResetContext(RootLayout layout, FactoryReset.Mode mode, BootId boot, Report report, ActionLog log,
                 FactoryReset.Progress progress) {
        this.layout = layout;
        this.mode = mode;
        this.boot = boot;
        this.report = report;
        this.log = log;
        this.progress = progress;
        this.tree = new SafeTree(layout);
    }

    public RootLayout layout() {
        return layout;
    }

    public FactoryReset.Mode mode() {
        return mode;
    }

    /** The boot that runs the reset: its log is kept, under {@code crash/preserved/logs/}. */
    public BootId boot() {
        return boot;
    }

    /** Logs one action of the reset ({@code RAYOS_RECOVERY_ACTION}); nothing once the log is closed. */
    public void action(String action, String result, String... kv) {
        if (log.isOpen()) {
            log.action(action, result, kv);
        }
    }

    /** Reports a change a step made. */
    public void changed(String action, String path, String detail) {
        report.add(new Report.Change(action, path, detail, Report.Result.DONE));
    }

    SafeTree tree() {
        return tree;
    }

    ActionLog log() {
        return log;
    }

    /** Reports the removal of {@code rel} and tells the progress listener. */
    void removed(Path rel) throws IOException {
        changed("delete", rel.toString(), null);
        progress.removed(rel);
    }

    void moved(Path from, Path to) {
        changed("move", layout.relative(from), "to " + layout.relative(to));
    }
}
