package dev.rayos.recovery;

import dev.rayos.log.boot.BootHistoryException;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code var/rayos/boot/history/}: files that do not parse as boot records (torn, not JSON, a
 * wrong schema, a name that is not the boot id inside, a link, a left-over temporary file) are
 * quarantined; boots sharing a sequence number are renumbered so the order stays (by sequence,
 * then start time, then id) and the numbers strictly increase.
 */
final class HistoryCheck implements Check {
    /** The order of the boots: by sequence number, then start time, then id (renumbering keeps it). */
    static final Comparator<BootRecord> ORDER = Comparator.comparingLong(BootRecord::seq)
            .thenComparing(r -> r.startUtc() == null ? "" : r.startUtc())
            .thenComparing(r -> r.id().hex());

    @Override
    public String name() {
        return "history";
    }

    @Override
    public void run(RepairContext ctx) throws IOException {
        Path dir = ctx.layout().historyDir();
        if (ctx.tree().existingDir(ctx.tree().rel(dir)).isEmpty()) {
            return;
        }
        Boots boots = new Boots(ctx.layout(), LogClock.system());
        Boots.Listing listing = boots.list();
        for (Boots.Damaged d : listing.damaged()) {
            ctx.quarantine(d.file(), "history file does not parse: " + d.why());
        }
        // Boots.list reads *.json only; anything else here is no history file either.
        List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().endsWith(".json")) {
                    others.add(p);
                }
            }
        }
        others.sort(null);
        for (Path p : others) {
            String n = p.getFileName().toString();
            ctx.quarantine(p, n.startsWith(".") && n.contains(".tmp-")
                    ? "a temporary file left by a write that was cut off" : "not a boot history file name");
        }
        renumber(ctx, boots, listing.boots());
    }

    private static void renumber(RepairContext ctx, Boots boots, List<BootRecord> readable) {
        List<BootRecord> order = new ArrayList<>(readable);
        order.sort(ORDER);
        long next = -1;
        boolean duplicate = false;
        for (int i = 1; i < order.size(); i++) {
            duplicate |= order.get(i).seq() == order.get(i - 1).seq();
        }
        if (!duplicate) {
            return;
        }
        for (BootRecord r : order) {
            long seq = Math.max(r.seq(), next + 1);
            next = seq;
            if (seq == r.seq()) {
                continue;
            }
            ctx.renumber(r.id(), seq);
            String rel = ctx.layout().relative(ctx.layout().historyFile(r.id()));
            ctx.change("renumber", rel, "seq " + r.seq() + " is shared with another boot; now seq " + seq, () -> {
                try {
                    boots.update(r.id(), x -> x.withSeq(seq)); // every other field kept
                } catch (BootHistoryException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
        }
    }
}
