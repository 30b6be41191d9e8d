package dev.rayos.cli;

import dev.rayos.log.crash.CrashParseException;
import dev.rayos.log.crash.CrashReport;
import dev.rayos.log.crash.CrashReportFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rayos crashes}: one line per crash report — boot, time, source, fault address, reason. */
@Command(name = "crashes", mixinStandardHelpOptions = true,
        description = "List crash reports: boot, time, source, fault address, reason.")
final class CrashesCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-34s %-27s %-6s %-18s %s%n", "BOOT", "TIME", "SOURCE", "FAULT", "REASON");
        for (Path p : CrashReportFiles.list(parent.layout().crashPanicsDir())) {
            String name = p.getFileName().toString();
            String boot = name.substring(0, name.length() - ".log".length());
            try {
                CrashReport r = CrashReportFiles.read(p);
                out.printf("%-34s %-27s %-6s %-18s %s%n", boot, r.time(), r.source().label(),
                        r.faultAddress().orElse("-"), RayosCommand.oneLine(r.reason()));
            } catch (CrashParseException e) {
                // a damaged report is listed, not hidden: it is still evidence of a crash
                out.printf("%-34s %-27s %-6s %-18s %s%n", boot, "?", "?", "-",
                        "(damaged report: " + RayosCommand.oneLine(e.getMessage()) + ")");
            }
        }
        out.flush();
        return 0;
    }
}
