package dev.rayos.recovery;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * {@code var/rayos/boot/current_boot_id}: missing, garbage (quarantined), or naming a boot with no
 * readable history. Each is repaired by pointing it at the newest boot of the history (the highest
 * sequence number: the one {@code rayos boot} wrote last); with no history at all a garbage file is
 * quarantined and none is written.
 */
final class CurrentBootIdCheck implements Check {
    private static final int MAX_BYTES = 64;

    @Override
    public String name() {
        return "current-boot-id";
    }

    @Override
    public void run(RepairContext ctx) throws IOException {
        Path file = ctx.layout().currentBootIdFile();
        List<BootRecord> boots = new Boots(ctx.layout(), LogClock.system()).list().boots();
        BootRecord newest = boots.stream().max(HistoryCheck.ORDER).orElse(null);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException missing) {
            if (newest != null) {
                point(ctx, file, newest, "missing");
            }
            return;
        }
        String id = null;
        if (a.isRegularFile() && a.size() <= MAX_BYTES) {
            String s = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
            if (s.endsWith("\n") && BootId.isValid(s.substring(0, s.length() - 1))) {
                id = s.substring(0, s.length() - 1);
            } else if (BootId.isValid(s.trim())) {
                id = s.trim(); // readable as it is; the readers trim too
            }
        }
        if (id == null) {
            boolean moved = ctx.quarantine(file, a.isRegularFile() ? "not a boot id" : "not a regular file");
            ctx.planCurrent(Optional.empty());
            if (newest != null && (moved || ctx.dryRun())) {
                point(ctx, file, newest, "was not a boot id");
            }
            return;
        }
        for (BootRecord r : boots) {
            if (r.id().hex().equals(id)) {
                return;
            }
        }
        if (newest != null) {
            point(ctx, file, newest, "named boot " + id + ", which has no readable history");
        } else {
            ctx.quarantine(file, "names boot " + id + ", and there is no readable history");
            ctx.planCurrent(Optional.empty());
        }
    }

    private static void point(RepairContext ctx, Path file, BootRecord newest, String why) {
        ctx.planCurrent(Optional.of(newest.id()));
        ctx.change("rewrite", ctx.layout().relative(file), why + "; now the newest boot " + newest.id()
                + " (seq " + ctx.seqOf(newest) + ")", () -> AtomicFiles.write(file,
                (newest.id().hex() + "\n").getBytes(StandardCharsets.US_ASCII)));
    }
}
