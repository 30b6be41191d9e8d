package dev.rayos.recovery;

import dev.rayos.log.crash.CrashParseException;
import dev.rayos.log.crash.CrashReportFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code var/rayos/crash/panics/}: reports that do not parse ({@code docs/crash-report.md}),
 * temporary files of a write that was cut off, links and other names are quarantined. Readable
 * reports are left exactly as they are.
 */
final class CrashReportsCheck implements Check {
    @Override
    public String name() {
        return "crash-reports";
    }

    @Override
    public void run(RepairContext ctx) throws IOException {
        Path dir = ctx.layout().crashPanicsDir();
        if (ctx.tree().existingDir(ctx.tree().rel(dir)).isEmpty()) {
            return;
        }
        Set<Path> reports = new HashSet<>(CrashReportFiles.list(dir));
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(entries::add);
        }
        entries.sort(null);
        for (Path e : entries) {
            String n = e.getFileName().toString();
            if (!reports.contains(e)) {
                ctx.quarantine(e, n.startsWith(".") && n.contains(".tmp-")
                        ? "a temporary file left by a crash report write that was cut off"
                        : "not a crash report name (<boot_id>.log or <boot_id>.<n>.log)");
                continue;
            }
            if (!Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS)) {
                ctx.quarantine(e, "not a regular file");
                continue;
            }
            try {
                CrashReportFiles.read(e);
            } catch (CrashParseException bad) {
                ctx.quarantine(e, "crash report does not parse: " + bad.getMessage());
            }
        }
    }
}
