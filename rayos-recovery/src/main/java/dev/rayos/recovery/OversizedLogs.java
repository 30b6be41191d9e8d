package dev.rayos.recovery;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.LogFileName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
 * stopped are finished first ({@link LogSplit}). Every rename and every split is a change of its own,
 * made through a {@link LogDir}: in a dry run its model, so the plan is the real run's steps.
 */
final class OversizedLogs {
    private final RepairContext ctx;
    private final LogDir view;
    private final long cap;
    private final java.util.Set<Path> noted = new java.util.HashSet<>();

    /** @param view the directory, or in a dry run its model ({@link LogDir}) */
    OversizedLogs(RepairContext ctx, LogDir view, long cap) {
        this.ctx = ctx;
        this.view = view;
        this.cap = cap;
    }

    /** Finishes or undoes the splits a kill stopped; run before anything else reads the directory. */
    void resume() throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(view.dir)) {
            ds.forEach(entries::add);
        }
        entries.sort(null);
        for (Path tmp : entries) {
            Optional<LogSplit.Pending> p = LogSplit.pending(tmp.getFileName().toString());
            if (p.isEmpty() || !Files.isRegularFile(tmp, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            LogSplit.Pending pending = p.get();
            long size = -1;
            boolean partTaken = false;
            for (LogFiles.Segment s : view.segments()) {
                String n = s.path().getFileName().toString();
                size = n.equals(pending.source().fileName()) ? s.size() : size;
                partTaken |= n.equals(pending.part().fileName());
            }
            String rel = ctx.layout().relative(tmp);
            if (size > pending.offset()) {
                ctx.changeIn(view, "delete", rel, "a stopped split's copy of lines still in " + pending.source(),
                        () -> view.resume(pending));
            } else if (size == pending.offset() && !partTaken
                    && !Files.exists(view.dir.resolve(pending.part().fileName()), LinkOption.NOFOLLOW_LINKS)) {
                ctx.changeIn(view, "finish-split", rel, "a stopped split's part (cut from " + pending.source()
                        + "): named " + pending.part(), () -> view.resume(pending));
            } else {
                ctx.quarantine(tmp, "a stopped split's part whose source is gone or whose name is taken");
            }
            view.at("resumed " + tmp.getFileName());
        }
    }

    /**
     * Splits every log file over the cap. Each split renames files, so the directory is listed again
     * after each until none is over the cap (in a dry run, its model: the same steps, planned).
     */
    void split() throws IOException {
        while (true) {
            List<LogFiles.Segment> all = sorted();
            Optional<LogFiles.Segment> over = Optional.empty();
            int parts = 0;
            for (LogFiles.Segment s : all) {
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

    private boolean splitOne(LogFiles.Segment s, int parts, List<LogFiles.Segment> all) throws IOException {
        LogFileName name = new LogFileName(s.boot(), s.number());
        String why = s.size() + " bytes, over the retention cap of " + cap + " bytes per file";
        if (name.number() == 0) {
            LogFileName to = LogFiles.nextPart(all, s.boot());
            if (!move(name, to, why + ": renamed to the boot's next part, as a rotation does, so its parts follow it")) {
                return false;
            }
            name = to;
        }
        List<LogFiles.Segment> later = new ArrayList<>();
        for (LogFiles.Segment o : all) {
            if (o.boot().equals(s.boot()) && o.number() > name.number()) {
                later.add(o);
            }
        }
        later.sort(Comparator.comparingInt(LogFiles.Segment::number).reversed());
        int gap = later.isEmpty() ? Integer.MAX_VALUE : later.get(later.size() - 1).number() - name.number() - 1;
        int missing = parts - 1 - gap;
        if (missing > 0) {
            if (later.get(0).number() + (long) missing > LogFileName.MAX_NUMBER) {
                ctx.unresolved(ctx.layout().relative(s.path()) + ": no part numbers left to split it into");
                return false;
            }
            for (LogFiles.Segment o : later) {
                LogFileName from = name.part(o.number());
                if (!move(from, name.part(o.number() + missing), "making room for the parts of " + name)) {
                    return false;
                }
            }
        }
        LogFileName source = name;
        String range = parts == 2 ? name.part(name.number() + 1).toString()
                : name.part(name.number() + 1) + " to " + name.part(name.number() + parts - 1);
        return ctx.changeIn(view, "split", ctx.layout().relative(view.dir.resolve(name.fileName())), why
                + ": split at line boundaries into " + parts + " parts, the first kept in place, the others " + range,
                () -> view.split(source, cap));
    }

    private boolean move(LogFileName from, LogFileName to, String why) {
        return ctx.changeIn(view, "rename", ctx.layout().relative(view.dir.resolve(from.fileName())), why + " (to " + to + ")",
                () -> view.rename(from, to));
    }

    private List<LogFiles.Segment> sorted() throws IOException {
        List<LogFiles.Segment> all = view.segments();
        all.sort(Comparator.comparing(LogFiles.Segment::order));
        return all;
    }

    /** How many parts the file would be split into (1: it is within the cap, or one line). */
    private int parts(LogFiles.Segment s) throws IOException {
        if (s.size() <= cap) {
            return 1;
        }
        int n = view.starts(s, cap).size();
        if (n == 1 && noted.add(s.path())) {
            ctx.note(ctx.layout().relative(s.path()) + " is over the cap but is one line; it is kept whole");
        }
        return n;
    }
}
