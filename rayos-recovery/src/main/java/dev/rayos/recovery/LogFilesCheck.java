package dev.rayos.recovery;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.CategoryFile;
import dev.rayos.log.root.LogFileName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code var/rayos/logs/}: entries that are not category directories, and files in a category that
 * are not named {@code <boot_id>[.<n>].log} (or are links), are quarantined; a last line without
 * its line feed (a writer killed mid-write) is cut, its bytes kept in the quarantine as
 * {@code <path>.torn-tail}; files bigger than the policy's size cap are split ({@link OversizedLogs});
 * files over its count cap are deleted oldest first, as the writers' own retention does. Each
 * category is repaired under its lock, so a live writer is never cut. Every step goes through a
 * {@link LogDir}; in a dry run its model, so the dry run lists exactly what the real run does.
 */
final class LogFilesCheck implements Check {
    private static final String LOCK = ".lock";
    private final LogSplit.Points points;

    LogFilesCheck() {
        this(LogSplit.Points.NONE);
    }

    /** A check that tells {@code points} of each step of a split (the kill tests stop there). */
    LogFilesCheck(LogSplit.Points points) {
        this.points = points;
    }

    @Override
    public String name() {
        return "logs";
    }

    @Override
    public void run(RepairContext ctx) throws IOException {
        RootLayout layout = ctx.layout();
        Path logs = layout.logsDir();
        if (ctx.tree().existingDir(ctx.tree().rel(logs)).isEmpty()) {
            return;
        }
        Policy policy = Policy.load(layout).policy();
        Optional<BootId> current = ctx.currentBoot();
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(logs)) {
            ds.forEach(entries::add);
        }
        entries.sort(null);
        for (Path e : entries) {
            String name = e.getFileName().toString();
            if (!RootLayout.isCategory(name)) {
                ctx.quarantine(e, "not a log category name");
            } else if (!Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)) {
                ctx.quarantine(e, Files.isSymbolicLink(e) ? "a symbolic link where a category directory belongs"
                        : "not a directory");
            } else {
                category(ctx, name, policy, current);
            }
        }
    }

    private void category(RepairContext ctx, String category, Policy policy, Optional<BootId> current)
            throws IOException {
        RootLayout layout = ctx.layout();
        Path dir = layout.categoryDir(category);
        Policy.Retention retention = policy.retention(category);
        if (ctx.dryRun()) {
            LogDir model = LogDir.planned(dir);
            Optional<BootId> logBoot = ctx.plannedLogBoot();
            if (ctx.plannedLogWritten() && category.equals(policy.categoryOf(ActionLog.COMPONENT))) {
                model.written(logBoot.get().hex(), retention.maxFiles()); // the real run's own log wrote there by now
            }
            repair(ctx, model, retention, current);
            return;
        }
        // The lock of the writers (in this JVM and across processes); the boot given only names
        // the instance, nothing is written through it.
        try (CategoryFile lock = new CategoryFile(layout, category,
                current.orElse(new BootId("0".repeat(32))), retention)) {
            ctx.holdLog();
            try {
                lock.lock();
                try {
                    repair(ctx, LogDir.onDisk(layout, dir, points), retention, current);
                } finally {
                    lock.unlock();
                }
            } finally {
                ctx.releaseLog();
            }
        }
    }

    private void repair(RepairContext ctx, LogDir view, Policy.Retention retention, Optional<BootId> current)
            throws IOException {
        RootLayout layout = ctx.layout();
        Path dir = view.dir;
        OversizedLogs oversized = new OversizedLogs(ctx, view, retention.maxFileBytes());
        oversized.resume(); // a stopped split's part may hold the only copy of its lines: before the quarantine
        List<LogFiles.Segment> segments = view.segments();
        Set<Path> logFiles = new HashSet<>();
        segments.forEach(s -> logFiles.add(s.path()));
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(entries::add);
        }
        entries.sort(null);
        for (Path e : entries) {
            if (e.getFileName().toString().equals(LOCK) || logFiles.contains(e) || view.goneByNow(e)) {
                continue;
            }
            if (ctx.dryRun() && LogSplit.pending(e.getFileName().toString()).isPresent()) {
                continue; // the dry run's resume above has planned what becomes of it
            }
            ctx.quarantine(e, Files.isSymbolicLink(e) ? "a symbolic link among the log files"
                    : "not a log file name (<boot_id>.log or <boot_id>.<n>.log)");
        }
        segments.sort((a, b) -> a.path().compareTo(b.path()));
        for (LogFiles.Segment s : segments) {
            tornTail(ctx, view, s);
        }
        oversized.split();
        Path active = current.map(b -> dir.resolve(new LogFileName(b.hex(), 0).fileName())).orElse(null);
        for (LogFiles.Segment s : CategoryFile.overCap(view.segments(), retention.maxFiles(), active)) {
            ctx.changeIn(view, "delete", layout.relative(s.path()), "over the retention cap of " + retention.maxFiles()
                    + " files (the oldest go first)", () -> view.delete(s));
        }
    }

    private static void tornTail(RepairContext ctx, LogDir view, LogFiles.Segment s) throws IOException {
        long keep = view.tornKeep(s);
        if (keep < 0) {
            return;
        }
        Path file = s.path();
        long cut = s.size() - keep;
        ctx.changeIn(view, "truncate", ctx.layout().relative(file), "last line torn (" + cut + (cut == 1 ? " byte" : " bytes") + " without a line "
                + "feed); the bytes are kept in the quarantine as " + file.getFileName() + ".torn-tail",
                () -> view.cut(s, keep, () -> {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                        ByteBuffer tail = ByteBuffer.allocate((int) Math.min(cut, 64L << 20));
                        while (tail.hasRemaining() && ch.read(tail, keep + tail.position()) > 0) {
                            // read the torn bytes
                        }
                        ctx.keepInQuarantine(file, ".torn-tail", java.util.Arrays.copyOf(tail.array(), tail.position()));
                    }
                }));
    }
}
