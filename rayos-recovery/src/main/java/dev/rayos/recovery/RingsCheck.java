package dev.rayos.recovery;

import dev.rayos.log.crash.CrashRecords;
import dev.rayos.log.store.RingRecovery;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Rings left by dead processes ({@code run/rayos/ring/*.ring} whose lock nobody holds): written out
 * by the logging system's own start-up recovery ({@link RingRecovery}, the path every boot takes),
 * which runs when this check opens the action log. Rings it could not read (set aside as
 * {@code .corrupt}) are quarantined. A dry run lists the orphans only.
 */
final class RingsCheck implements Check {
    @Override
    public String name() {
        return "rings";
    }

    @Override
    public void run(RepairContext ctx) throws IOException {
        Path dir = ctx.layout().ringDir();
        boolean exists = ctx.tree().existingDir(ctx.tree().rel(dir)).isPresent();
        if (ctx.dryRun()) {
            ctx.openLog(); // plans the log the real run opens here, which later checks see
            if (exists) {
                for (Path p : list(dir, "*.ring")) {
                    if (orphan(p)) {
                        ctx.change("write-out", ctx.layout().relative(p),
                                "ring of a dead process: its lines go to their boots' logs", () -> { });
                    }
                }
            }
        } else {
            List<RingRecovery.Outcome> outcomes = ctx.openLog();
            for (RingRecovery.Outcome o : outcomes) {
                String ring = ctx.layout().relative(o.ring());
                if (o.error() != null) {
                    ctx.made("set-aside", ring, "unreadable ring: " + o.error(), true);
                } else {
                    ctx.made("write-out", ring, "ring of a dead process: " + o.written() + " lines written to boot "
                            + o.boot() + "'s logs (" + o.alreadyInFiles() + " were there, " + o.corrupt()
                            + " corrupt, " + o.lost() + " lost)", false);
                }
            }
            for (CrashRecords.Result c : ctx.crashWriteOuts()) {
                if (c.report() != null) {
                    ctx.made("write-out", ctx.layout().relative(c.report()), "crash report found in a ring of boot "
                            + c.boot(), false);
                } else {
                    ctx.made("write-out", c.heldIn() == null ? "ring" : ctx.layout().relative(c.heldIn()),
                            "crash report in a ring could not be written: " + c.problem(), true);
                }
            }
        }
        if (exists) {
            for (Path p : list(dir, "*.corrupt")) {
                ctx.quarantine(p, "a ring the logging system could not read");
            }
        }
    }

    private static List<Path> list(Path dir, String glob) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /**
     * True when no live process holds the ring's lock (taking it for an instant writes nothing);
     * false for a ring of this JVM, or what is not a regular file.
     */
    static boolean orphan(Path ring) {
        if (!Files.isRegularFile(ring, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(ring, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return false;
            }
            l.release();
            return true;
        } catch (OverlappingFileLockException mine) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
