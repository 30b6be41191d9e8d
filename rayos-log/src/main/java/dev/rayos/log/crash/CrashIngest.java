package dev.rayos.log.crash;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns crash text found on disk (a serial console capture, an hs_err log) into crash reports
 * under a root: what {@code rayos crash ingest} and the QEMU harness do.
 *
 * <p>Everything is read and checked before anything is written, so bad input writes nothing.
 * Unlike a panic, ingest is an explicit act on a mounted root, so it creates
 * {@code var/rayos/crash/panics/} when missing.
 */
public final class CrashIngest {
    private final RootLayout layout;
    private final String version;
    private final String buildId;
    private final BootRecord record;

    /**
     * @param version RayOS version of the boot the text came from, or {@code null} if unknown
     * @param buildId its build id, or {@code null}
     */
    public CrashIngest(RootLayout layout, String version, String buildId) {
        this(layout, version, buildId, null);
    }

    /**
     * Ingest for a boot of this machine: its version and build id go into the reports, each report
     * carries the crash's own time placed in the boot's terms ({@link CrashTime}), and the boot's
     * history is marked crashed once a report is written.
     */
    public CrashIngest(RootLayout layout, BootRecord record) {
        this(layout, record.version(), record.buildId(), record);
    }

    private CrashIngest(RootLayout layout, String version, String buildId, BootRecord record) {
        this.layout = layout;
        this.version = version;
        this.buildId = buildId;
        this.record = record;
    }

    /**
     * Writes one report per kernel crash in a serial console log, in the order they occur.
     *
     * @return the report files written; empty when the log holds no crash
     */
    public List<Path> serial(Path console, BootId boot, Timestamp time) throws IOException {
        List<CrashReport> reports = new ArrayList<>();
        for (KernelCrash c : KernelCrashScanner.scan(console)) {
            reports.add(c.report(boot, CrashTime.kernel(c.uptime(), record, time)).version(version).buildId(buildId)
                    .attribute("origin", console.toString()).build());
        }
        return write(reports, boot);
    }

    /**
     * Writes the report of a JVM fatal error log.
     *
     * @throws CrashParseException when the file is not an hs_err log (nothing is written)
     */
    public Path hsErr(Path log, BootId boot, Timestamp time) throws IOException, CrashParseException {
        JvmCrash c = HsErrReader.read(log);
        CrashReport r = c.report(boot, CrashTime.jvm(c.time(), time)).version(version).buildId(buildId)
                .attribute("origin", log.toString()).build();
        return write(List.of(r), boot).get(0);
    }

    /** The reports' files: new ones written, and for a crash already ingested, the file that holds it. */
    private List<Path> write(List<CrashReport> reports, BootId boot) throws IOException {
        List<Path> written = new ArrayList<>();
        if (reports.isEmpty()) {
            return written;
        }
        Files.createDirectories(layout.crashPanicsDir());
        for (CrashReport r : reports) {
            Path same = sameCrash(r);
            if (same != null) {
                written.add(same);
                alreadyThere.add(same);
                continue;
            }
            Path p = CrashReportFiles.writeNew(r, layout.crashReport(boot));
            written.add(p);
            if (record != null) {
                CrashRecords.markCrashed(layout, dev.rayos.log.time.LogClock.system(), boot, p, false);
            }
        }
        return written;
    }

    private final List<Path> alreadyThere = new ArrayList<>();

    /** Of the files the last call returned, those that held the crash already (nothing was written for them). */
    public List<Path> alreadyIngested() {
        return List.copyOf(alreadyThere);
    }

    /** A report of the same boot read from the same crash text (same source, reason and excerpt), or null. */
    private Path sameCrash(CrashReport r) throws IOException {
        for (Path p : CrashReportFiles.list(layout.crashPanicsDir())) {
            if (!CrashReportFiles.bootOf(p).map(r.bootId()::equals).orElse(false)) {
                continue;
            }
            try {
                CrashReport old = CrashReportFiles.read(p);
                if (old.source() == r.source() && old.reason().equals(r.reason()) && old.excerpt().equals(r.excerpt())) {
                    return p;
                }
            } catch (CrashParseException damaged) {
                // a damaged report is not this one
            }
        }
        return null;
    }
}
