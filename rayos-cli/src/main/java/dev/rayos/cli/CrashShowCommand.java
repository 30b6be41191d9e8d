package dev.rayos.cli;

import dev.rayos.log.boot.BootId;
import dev.rayos.log.crash.CrashReportFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rayos crash show [BOOT]}: prints the crash reports of a boot as stored, or the latest
 * report when no boot is named. Exit 1 when there is none.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the crash reports of BOOT, or the latest crash report.")
final class CrashShowCommand implements Callable<Integer> {
    @ParentCommand
    CrashCommand crash;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "BOOT", description = "A boot id (default: the latest report).")
    String boot;

    @Override
    public Integer call() throws IOException {
        if (boot != null && !BootId.isValid(boot)) {
            throw new UserError("not a boot id (32 lower-case hex digits): '" + RayosCommand.oneLine(boot) + "'");
        }
        List<Path> all = CrashReportFiles.list(crash.parent.layout().crashPanicsDir());
        List<Path> shown;
        if (boot != null) {
            shown = all.stream().filter(p -> CrashReportFiles.bootOf(p).map(BootId::hex).orElse("").equals(boot))
                    .collect(Collectors.toList());
        } else {
            // latest by the file's time: report times may be mono (no wall clock) and not comparable
            shown = all.stream().max(Comparator.comparing(CrashShowCommand::modified)).stream()
                    .collect(Collectors.toList());
        }
        if (shown.isEmpty()) {
            throw new UserError(boot != null ? "no crash report of boot " + boot : "no crash reports", RayosCommand.EXIT_CHECK);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (Path p : shown) {
            // as stored: the file is the readable form, and a damaged one is shown rather than refused
            out.print(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
        }
        out.flush();
        return 0;
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }
}
