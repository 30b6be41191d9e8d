package dev.rayos.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code rayos crash …}: one crash report ({@code show}) or crash text read into reports ({@code ingest}). */
@Command(name = "crash", mixinStandardHelpOptions = true,
        description = "Crash reports of this machine (docs/crash-report.md): print them (show), or read crash "
                + "text into them (ingest).",
        subcommands = {CrashShowCommand.class, CrashIngestCommand.class})
final class CrashCommand implements Runnable {
    @ParentCommand
    RayosCommand parent;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
