package dev.rayos.log.crash;

import dev.rayos.log.boot.BootId;
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

    /**
     * @param version RayOS version of the boot the text came from, or {@code null} if unknown
     * @param buildId its build id, or {@code null}
     */
    public CrashIngest(RootLayout layout, String version, String buildId) {
        this.layout = layout;
        this.version = version;
        this.buildId = buildId;
    }

    /**
     * Writes one report per kernel crash in a serial console log, in the order they occur.
     *
     * @return the report files written; empty when the log holds no crash
     */
    public List<Path> serial(Path console, BootId boot, Timestamp time) throws IOException {
        List<CrashReport> reports = new ArrayList<>();
        for (KernelCrash c : KernelCrashScanner.scan(console)) {
            reports.add(c.report(boot, time).version(version).buildId(buildId)
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
        CrashReport r = c.report(boot, time).version(version).buildId(buildId)
                .attribute("origin", log.toString()).build();
        return write(List.of(r), boot).get(0);
    }

    private List<Path> write(List<CrashReport> reports, BootId boot) throws IOException {
        List<Path> written = new ArrayList<>();
        if (reports.isEmpty()) {
            return written;
        }
        Files.createDirectories(layout.crashPanicsDir());
        for (CrashReport r : reports) {
            written.add(CrashReportFiles.writeNew(r, layout.crashReport(boot)));
        }
        return written;
    }
}
