package dev.rayos.cli;

import dev.rayos.log.BuildInfo;
import dev.rayos.log.root.RootLayout;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code rayos} command: what a person or a script on a RayOS machine uses to log, read logs,
 * and look at boots and crashes. Exit codes: 0 success; 1 a check that did not hold; 2 bad usage or
 * bad input (one line on stderr; nothing written).
 */
@Command(name = "rayos",
        mixinStandardHelpOptions = true,
        versionProvider = RayosCommand.Version.class,
        description = {
            "Logs, boots, crashes and recovery of a RayOS machine.",
            "Everything the machine stores lives under one root: --root DIR, else $RAYOS_ROOT, else /."},
        footer = {"", "Start with: rayos demo; then 'rayos help COMMAND' (or COMMAND --help) for any command."},
        subcommands = {
            DemoCommand.class,
            LogCommand.class,
            CatCommand.class,
            BootCommand.class,
            ShutdownCommand.class,
            CrashesCommand.class,
            CrashCommand.class,
            HarnessCommand.class,
            TimeSyncCommand.class,
            LogsCommand.class,
            BootsCommand.class,
            StatusCommand.class,
            AnalyzeCommand.class,
            ImageCommand.class,
            BootEntriesCommand.class,
            AgentCommand.class,
            RecoveryCommand.class,
            RepairCommand.class,
            VmCommand.class,
            FactoryResetCommand.class,
            ServeCommand.class,
            HelpCommand.class
        })
public final class RayosCommand implements Runnable {
    /** Exit code for bad usage or bad input. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a check that did not hold. */
    public static final int EXIT_CHECK = 1;

    @Option(names = "--root", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "The machine's root directory (default: $RAYOS_ROOT, else /).")
    String root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Where commands that write bytes rather than text ({@code logs}) send them; null for standard
     * output. The recovery console sets it to capture their output ({@link InProcessCommand}).
     */
    java.io.OutputStream rawOut;

    /** How the demo's root is written in hints: as given, else the demo's default. */
    String rootShown() {
        return root != null ? root : "rayos-data";
    }

    /** The demo root as an absolute path (to shorten it back in the commands the demo shows). */
    String rootShownPath() {
        return java.nio.file.Path.of(rootShown()).toAbsolutePath().normalize().toString();
    }

    /** The root chosen by option, environment or default; an empty --root is refused (it is not /). */
    public RootLayout layout() {
        if (root != null && root.isBlank()) {
            throw new UserError("--root is empty: say which directory (--root / for this machine)");
        }
        return RootLayout.choose(root);
    }

    /**
     * The root of a machine that exists, for the commands that read one: a root with nothing under
     * {@code var/rayos} is a mistyped root, not an empty machine, and says so (exit 9).
     */
    public RootLayout machine() {
        RootLayout l = layout();
        if (!java.nio.file.Files.isDirectory(l.root().resolve("var/rayos"))) {
            throw new UserError("no RayOS machine at " + l.root() + " (no var/rayos there; check --root or "
                    + "$RAYOS_ROOT, or start one with 'rayos boot')", ExitCodes.NO_MACHINE);
        }
        return l;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with the project's error handling: one line on stderr, exit 2, for bad input. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RayosCommand());
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes (every command):%n")
                .exitCodeList(ExitCodes.asMap());
        CommandList.install(cl);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("rayos: " + oneLine(ex.getMessage()) + DidYouMean.of(ex) + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            PrintWriter err = line.getErr();
            if (ex instanceof UserError) {
                err.println("rayos: " + oneLine(ex.getMessage()));
                err.flush();
                return ((UserError) ex).exitCode();
            }
            err.println("rayos: " + line.getCommandSpec().qualifiedName().replaceFirst("^rayos ", "") + ": "
                    + oneLine(EnvironmentError.describe(ex)));
            err.flush();
            return ExitCodes.ENVIRONMENT;
        });
        return cl;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\r", " ").replace("\n", " ").trim();
    }

    /** The version line. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rayos " + BuildInfo.version() + " (build " + BuildInfo.buildId() + ")"};
        }
    }
}
