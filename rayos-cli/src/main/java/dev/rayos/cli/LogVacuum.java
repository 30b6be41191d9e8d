package dev.rayos.cli;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.BootId;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RemovedFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code rayos logs --disk-usage} and {@code --vacuum-size/-time/-files}, journalctl's way. Archived
 * files are every log file but the current boot's active ones (its {@code <id>.log} in each
 * category), which are never deleted; vacuuming deletes archived files oldest first. Only regular
 * files inside the root's log directories are touched: a link is skipped, never followed.
 */
final class LogVacuum {
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})([KMGT]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);

    private LogVacuum() {}

    record File(LogFiles.Segment seg, boolean active) {}

    static List<File> files(RootLayout layout, Optional<BootId> current) throws IOException {
        List<File> out = new ArrayList<>();
        for (Path dir : BootCatalog.categoryDirs(layout)) {
            for (LogFiles.Segment s : LogFiles.segments(dir)) {
                boolean active = current.isPresent() && s.boot().equals(current.get().hex()) && s.number() == 0;
                out.add(new File(s, active));
            }
        }
        out.sort(Comparator.comparingLong((File f) -> f.seg().modified()).thenComparing(f -> f.seg().path()));
        return out;
    }

    static void diskUsage(RootLayout layout, Optional<BootId> current, PrintWriter out) throws IOException {
        long total = 0;
        for (File f : files(layout, current)) {
            total += f.seg().size();
        }
        out.println("Archived and active logs take up " + human(total) + " in the file system.");
        out.flush();
    }

    /** Deletes archived files oldest first while {@code more} says so; prints each and the total freed. */
    static void vacuum(RootLayout layout, Optional<BootId> current, Long maxBytes, Long olderThanUtcNanos, Integer maxFiles,
                       PrintWriter out) throws IOException {
        List<File> all = files(layout, current);
        long total = all.stream().mapToLong(f -> f.seg().size()).sum();
        List<File> archived = all.stream().filter(f -> !f.active()).toList();
        int left = archived.size();
        long freed = 0;
        for (File f : archived) {
            boolean go = (maxBytes != null && total > maxBytes)
                    || (olderThanUtcNanos != null && f.seg().modified() * 1_000_000L < olderThanUtcNanos)
                    || (maxFiles != null && left > maxFiles);
            if (!go) {
                continue;
            }
            Path p = f.seg().path();
            layout.requireInside(p.getParent());
            if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            // the file itself, never a link's target; recorded first while a forwarder follows the category
            RemovedFiles.remove(layout, p.getParent().getFileName().toString(), f.seg());
            out.println("Deleted archived log file " + layout.relative(p) + " (" + human(f.seg().size()) + ").");
            total -= f.seg().size();
            freed += f.seg().size();
            left--;
        }
        out.println("Vacuuming done, freed " + human(freed) + " of archived logs from " + layout.logsDir() + ".");
        out.flush();
    }

    /** {@code 500M}, {@code 1G}, {@code 20K}, {@code 4096}: bytes. */
    static long size(String s) {
        Matcher m = SIZE.matcher(s == null ? "" : s.trim());
        if (!m.matches()) {
            throw new UserError("--vacuum-size '" + s + "' is not a size like 500M, 1G, 20K or 4096");
        }
        long n = Long.parseLong(m.group(1));
        int shift = "KMGT".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
        if (shift > 0 && n > (Long.MAX_VALUE >> (10 * shift))) {
            throw new UserError("--vacuum-size '" + s + "' is too large");
        }
        return n << (10 * shift);
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String units = "KMGTPE";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f%c", v, units.charAt(u));
    }
}
