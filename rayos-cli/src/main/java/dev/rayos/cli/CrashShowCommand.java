package dev.rayos.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rayos crash show [MATCH]}: the crash reports MATCH names, as stored, or the latest
 * ({@code rayos crashes show} under its older name). Exit 1 when none matches.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print crash reports as stored: those matching MATCH (a boot id or prefix, a report id like "
                + "<boot_id>.2, or -1, -2 for the latest, the one before), or the latest. Exit 1 when none matches.",
        footer = {"",
            "Examples:",
            "  rayos crash show",
            "  rayos crash show -1",
            "  rayos crash show 3f2a9c1d"})
final class CrashShowCommand implements Callable<Integer> {
    @ParentCommand
    CrashCommand crash;

    @Spec
    CommandSpec spec;

    @Mixin
    CrashesCommand.Selection selection;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (CrashList.Item i : CrashesCommand.latestUnlessMatched(selection, crash.parent)) {
            // as stored: the file is the readable form, and a damaged one is shown rather than refused
            out.print(new String(Files.readAllBytes(i.file()), StandardCharsets.UTF_8));
        }
        out.flush();
        return 0;
    }
}
