package dev.rayos.machine.agent;

import dev.rayos.log.line.Marker;
import dev.rayos.log.boot.BootHistoryException;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.boot.FailureReason;
import dev.rayos.log.crash.CrashReport;
import dev.rayos.log.crash.CrashReportFiles;
import dev.rayos.log.crash.KernelCrash;
import dev.rayos.log.crash.KernelCrashScanner;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the next boot learns about the one before it, before anything else is logged: the kernel's
 * own crash record from pstore (efi-pstore keeps the end of the kernel log of a panic in EFI
 * variables across the reset), and whether the boot failed and why.
 *
 * <p>A boot failed when it never reached {@code RAYOS_READY} and did not end cleanly. Why:
 * {@code panic} when a crash report exists for it; else what the boot itself recorded before it
 * went ({@code watchdog} when its watchdog expired, {@code no_ready} when a component failed);
 * else {@code watchdog} when this machine has a hardware watchdog (only a watchdog resets a machine
 * whose agent could not write a word), {@code no_ready} otherwise.
 */
final class PreviousBoot {
    /** What was found. */
    record Judgement(BootRecord record, Path crashReport, int pstoreRecords) {}

    private static final Pattern PART = Pattern.compile("^(?:Panic|Oops|Emergency|Unknown)#\\d+ Part(\\d{1,6})\\s*$");
    private static final Pattern LEVEL = Pattern.compile("^<\\d{1,3}>");

    private PreviousBoot() {}

    static Judgement judge(RootLayout layout, Boots boots, BootId prev, MachinePaths paths, boolean hardwareWatchdog)
            throws IOException {
        List<Path> pstore = pstoreFiles(paths.pstore());
        Path report = null;
        if (!pstore.isEmpty()) {
            report = writePstoreCrash(layout, prev, pstore);
        }
        BootRecord r;
        try {
            r = boots.read(prev);
        } catch (BootHistoryException | java.nio.file.NoSuchFileException e) {
            return new Judgement(null, report, pstore.size());
        }
        boolean hasCrash = report != null || r.crash() != null || Files.exists(layout.crashReport(prev));
        // a recovery boot never becomes ready (it runs the console): it cannot fail a try
        boolean failed = r.marker(Marker.READY) == null && r.end() != EndState.CLEAN && r.mode() != dev.rayos.log.boot.BootMode.RECOVERY;
        FailureReason why = r.failure();
        if (failed || why != null) {
            if (hasCrash) {
                why = FailureReason.PANIC;
            } else if (why == null) {
                why = hardwareWatchdog ? FailureReason.WATCHDOG : FailureReason.NO_READY;
            }
        }
        FailureReason f = why;
        Path rep = report;
        try {
            r = boots.update(prev, x -> {
                BootRecord y = rep != null ? x.withCrash(layout.relative(rep)) : x;
                if (f != null) {
                    y = y.withFailure(f);
                    EndState end = f == FailureReason.PANIC ? EndState.CRASH
                            : f == FailureReason.WATCHDOG ? EndState.WATCHDOG : y.end();
                    y = y.withEnd(end, y.endMono(), y.endUtc());
                } else if (rep != null) {
                    y = y.withEnd(EndState.CRASH, y.endMono(), y.endUtc());
                }
                return y;
            });
        } catch (BootHistoryException e) {
            // a damaged history file is repair's business; the boot goes on
        }
        for (Path p : pstore) {
            Files.deleteIfExists(p); // unlinking a pstore file frees its EFI variable
        }
        return new Judgement(r, report, pstore.size());
    }

    static List<Path> pstoreFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("dmesg-")).sorted().toList();
        }
    }

    /** The kernel log text of pstore records, oldest part first, without printk level prefixes. */
    static String pstoreText(List<Path> files) throws IOException {
        record Part(int n, List<String> lines) {}
        List<Part> parts = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = new ArrayList<>();
            int n = 0;
            for (String line : new String(Files.readAllBytes(f), StandardCharsets.UTF_8).split("\n", -1)) {
                Matcher m = PART.matcher(line);
                if (lines.isEmpty() && n == 0 && m.matches()) {
                    n = Integer.parseInt(m.group(1));
                    continue;
                }
                lines.add(LEVEL.matcher(line).replaceFirst(""));
            }
            parts.add(new Part(n, lines));
        }
        // pstore numbers parts from the end of the log backwards: Part1 holds the newest lines
        parts.sort((a, b) -> Integer.compare(b.n(), a.n()));
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            for (String l : p.lines()) {
                out.append(l).append('\n');
            }
        }
        return out.toString();
    }

    private static Path writePstoreCrash(RootLayout layout, BootId prev, List<Path> files) throws IOException {
        List<KernelCrash> crashes = KernelCrashScanner.scan(new StringReader(pstoreText(files)));
        Path first = null;
        for (KernelCrash c : crashes) {
            long now = System.currentTimeMillis() * 1_000_000L;
            CrashReport r = c.report(prev, Timestamp.utc(now)).attribute("origin", "pstore").build();
            Files.createDirectories(layout.crashPanicsDir());
            Path p = CrashReportFiles.writeNew(r, layout.crashReport(prev));
            if (first == null) {
                first = p;
            }
        }
        return first;
    }
}
