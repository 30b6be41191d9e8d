package dev.rayos.recovery;

import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.store.CategoryFile;
import dev.rayos.log.store.LogFileName;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The logs check's part for files over {@code retention.max_file_size} (left by an older version,
 * or a policy whose cap was lowered): each is split at line boundaries into parts named as the
 * store names them, in their place in the boot's order. A boot's active name ({@code <boot_id>.log})
 * over the cap is first renamed to its next part, as a rotation would; later parts of the boot are
 * renumbered upwards (highest first, so a kill leaves only a gap) to make room. Splits a kill
 * stopped are finished first ({@link LogSplit}). Every rename and every split is a change of its own.
 */
final class OversizedLogs {
    private final RepairContext ctx;
    private final Path dir;
    private final long cap;
    private final LogSplit.Points points;
    private final java.util.Set<Path> noted = new java.util.HashSet<>();

    OversizedLogs(RepairContext ctx, Path dir, long cap, LogSplit.Points points) {
        this.ctx = ctx;
        this.dir = dir;
        this.cap = cap;
        this.points = points;
    }

    /** Finishes or undoes the splits a kill stopped; run before anything else reads the directory. */
    void resume() throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(entries::add);
        }
        entries.sort(null);
        for (Path tmp : entries) {
            Optional<LogSplit.Pending> p = LogSplit.pending(tmp.getFileName().toString());
            if (p.isEmpty() || !Files.isRegularFile(tmp, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            LogSplit.Pending pending = p.get();
            Path source = dir.resolve(pending.source().fileName());
            long size = Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS) ? Files.size(source) : -1;
            String rel = ctx.layout().relative(tmp);
            if (size > pending.offset()) {
                ctx.change("delete", rel, "a stopped split's copy of lines still in " + pending.source(),
                        () -> LogSplit.resume(dir, pending));
            } else if (size == pending.offset()
                    && !Files.exists(dir.resolve(pending.part().fileName()), LinkOption.NOFOLLOW_LINKS)) {
                ctx.change("finish-split", rel, "a stopped split's part (cut from " + pending.source()
                        + "): named " + pending.part(), () -> LogSplit.resume(dir, pending));
            } else {
                ctx.quarantine(tmp, "a stopped split's part whose source is gone or whose name is taken");
            }
            points.at("resumed " + tmp.getFileName());
        }
    }

    /** Splits every log file over the cap (in a dry run, reports the plan for each). */
    void split() throws IOException {
        if (ctx.dryRun()) {
            List<CategoryFile.Segment> all = sorted();
            for (CategoryFile.Segment s : all) {
                int parts = parts(s);
                if (parts > 1) {
                    splitOne(s, parts, all);
                }
            }
            return;
        }
        // each split renames files: list again after each, until none is over the cap
        while (true) {
            List<CategoryFile.Segment> all = sorted();
            Optional<CategoryFile.Segment> over = Optional.empty();
            int parts = 0;
            for (CategoryFile.Segment s : all) {
                parts = parts(s);
                if (parts > 1) {
                    over = Optional.of(s);
                    break;
                }
            }
            if (over.isEmpty() || !splitOne(over.get(), parts, all)) {
                return;
            }
        }
    }

    private boolean splitOne(CategoryFile.Segment s, int parts, List<CategoryFile.Segment> all) throws IOException {
        LogFileName name = new LogFileName(s.boot(), s.number());
        String why = s.size() + " bytes, over the retention cap of " + cap + " bytes per file";
        if (name.number() == 0) {
            LogFileName to = CategoryFile.nextPart(all, s.boot());
            if (!move(name, to, why + ": renamed to the boot's next part, as a rotation does, so its parts follow it")) {
                return false;
            }
            name = to;
        }
        List<CategoryFile.Segment> later = new ArrayList<>();
        for (CategoryFile.Segment o : all) {
            if (o.boot().equals(s.boot()) && o.number() > name.number()) {
                later.add(o);
            }
        }
        later.sort(Comparator.comparingInt(CategoryFile.Segment::number).reversed());
        int gap = later.isEmpty() ? Integer.MAX_VALUE : later.get(later.size() - 1).number() - name.number() - 1;
        int missing = parts - 1 - gap;
        if (missing > 0) {
            if (later.get(0).number() + (long) missing > LogFileName.MAX_NUMBER) {
                ctx.unresolved(ctx.layout().relative(s.path()) + ": no part numbers left to split it into");
                return false;
            }
            for (CategoryFile.Segment o : later) {
                LogFileName from = name.part(o.number());
                if (!move(from, name.part(o.number() + missing), "making room for the parts of " + name)) {
                    return false;
                }
            }
        }
        Path source = dir.resolve(name.fileName());
        String range = parts == 2 ? name.part(name.number() + 1).toString()
                : name.part(name.number() + 1) + " to " + name.part(name.number() + parts - 1);
        return ctx.change("split", ctx.layout().relative(source), why + ": split at line boundaries into "
                + parts + " parts, the first kept in place, the others " + range,
                () -> LogSplit.split(source, cap, points));
    }

    private boolean move(LogFileName from, LogFileName to, String why) throws IOException {
        Path f = dir.resolve(from.fileName());
        Path t = dir.resolve(to.fileName());
        boolean done = ctx.change("rename", ctx.layout().relative(f), why + " (to " + to + ")", () -> {
            if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(to + " exists");
            }
            Files.move(f, t, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(dir);
        });
        if (done) {
            points.at("renamed " + from + " to " + to);
        }
        return done || ctx.dryRun();
    }

    private List<CategoryFile.Segment> sorted() throws IOException {
        List<CategoryFile.Segment> all = CategoryFile.segments(dir);
        all.sort(Comparator.comparing(CategoryFile.Segment::order));
        return all;
    }

    /** How many parts the file would be split into (1: it is within the cap, or one line). */
    private int parts(CategoryFile.Segment s) throws IOException {
        if (s.size() <= cap) {
            return 1;
        }
        try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            int n = LogSplit.starts(ch, cap).size();
            if (n == 1 && noted.add(s.path())) {
                ctx.note(ctx.layout().relative(s.path()) + " is over the cap but is one line; it is kept whole");
            }
            return n;
        }
    }
}
