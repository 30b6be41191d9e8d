package dev.rayos.cli;

import dev.rayos.log.boot.BuildInfo;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.root.RootLayout;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
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
        footer = {"", "Start with: rayos demo; then 'rayos help COMMAND' (or COMMAND --help) for any command."})
// The subcommands are SUBCOMMANDS below, added by commandLine(), not listed in this annotation: that
// would make picocli build every command's model on each start.
final class RayosCommand implements Runnable {
    /** The commands under {@code rayos}, in the order its help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
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
            ForwardCommand.class,
            HelpCommand.class);

    /**
     * Picocli registers, on every command line it makes, a converter for each java.time and java.sql
     * type it finds by reflection, which initializes those classes (DateTimeFormatter's tables): a
     * noticeable part of a short command's start. No option here has such a type (CommandModelTest
     * checks), so they are left out, unless the property is set otherwise.
     */
    static final String CONVERTERS_EXCLUDED = "java\\.(time|sql)\\..*";

    static {
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", CONVERTERS_EXCLUDED);
        }
    }

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

    /** A command line with every subcommand and the project's error handling (see {@link #commandLine(String...)}). */
    public static CommandLine commandLine() {
        return whole(CommandModel.load());
    }

    /**
     * The command line to run {@code args}, with the project's error handling: one line on stderr,
     * exit 2, for bad input. Where {@code args} name a subcommand exactly (after the root's own
     * options), only that one is added: picocli builds each command's model by reflection, which was
     * most of a short command's start (docs/PERFORMANCE.md, "Start of the short commands"). Anything
     * else (no command, help, a mistyped name or option) gets every subcommand, so help, "did you
     * mean" and the errors are those of the whole command. The models come from the build's
     * {@link CommandModel} where it has them, else from the annotations.
     */
    public static CommandLine commandLine(String... args) {
        return commandLine(CommandModel.load(), args);
    }

    /** {@link #commandLine(String...)} with the models from {@code model}, or (null) all from the annotations. */
    static CommandLine commandLine(CommandModel model, String... args) {
        CommandLine cl = root(model);
        Class<?> only = named(cl, model, args);
        return withHandlers(withSubcommands(cl, model, only == null ? SUBCOMMANDS : List.of(only)));
    }

    /** {@link #commandLine()} with the models from {@code model}, or (null) all from the annotations. */
    static CommandLine whole(CommandModel model) {
        return withHandlers(withSubcommands(root(model), model, SUBCOMMANDS));
    }

    private static CommandLine root(CommandModel model) {
        CommandLine cl = model == null ? null : model.root(new RayosCommand());
        return cl != null ? cl : new CommandLine(new RayosCommand());
    }

    /** The root's help: the exit-code table and the command list (ExitCodes, CommandList). */
    private static CommandLine withHelp(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes (every command):%n")
                .exitCodeList(ExitCodes.asMap());
        List<CommandLine> todo = new java.util.ArrayList<>(cl.getSubcommands().values());
        while (!todo.isEmpty()) { // each command's help: the rows it can answer with
            CommandLine sub = todo.remove(todo.size() - 1);
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes (all in 'rayos help'):%n")
                    .exitCodeList(ExitCodes.forCommand(sub.getCommandSpec().qualifiedName().replaceFirst("^rayos ", "")));
            todo.addAll(sub.getSubcommands().values());
        }
        CommandList.install(cl);
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    /**
     * The subcommand (not help) that {@code args} name, found by {@code cl} (the root alone, which
     * is left as it was) parsing the root's own options up to the first word that is not one.
     */
    private static Class<?> named(CommandLine cl, CommandModel model, String... args) {
        List<String> rest;
        cl.setStopAtPositional(true);
        cl.setUnmatchedArgumentsAllowed(true);
        try {
            rest = cl.parseArgs(args).unmatched();
        } catch (CommandLine.ParameterException e) {
            return null; // the whole command reports it
        } finally {
            cl.setStopAtPositional(false);
            cl.setUnmatchedArgumentsAllowed(false);
        }
        if (rest.isEmpty()) {
            return null;
        }
        for (Class<?> c : SUBCOMMANDS) {
            CommandModel.Entry e = model == null ? null : model.entry(c);
            String name;
            List<String> aliases;
            if (e != null) {
                name = e.name();
                aliases = e.aliases();
            } else {
                Command a = c.getAnnotation(Command.class);
                name = a.name();
                aliases = Arrays.asList(a.aliases());
            }
            if (c != HelpCommand.class && (name.equals(rest.get(0)) || aliases.contains(rest.get(0)))) {
                return c;
            }
        }
        return null;
    }

    private static CommandLine withSubcommands(CommandLine cl, CommandModel model, List<Class<?>> commands) {
        for (Class<?> c : commands) {
            CommandModel.Entry e = model == null ? null : model.entry(c);
            CommandLine sub = e == null ? null : model.subcommand(e, cl.getCommand());
            if (sub != null) {
                cl.addSubcommand(e.name(), sub);
            } else {
                cl.addSubcommand(c);
            }
        }
        return cl;
    }

    private static CommandLine withHandlers(CommandLine cl) {
        withHelp(cl);
        HelpParagraphs.install(cl);
        cl.setParameterExceptionHandler(new BadInput());
        cl.setExecutionExceptionHandler(new Failed());
        return cl;
    }

    // The handlers are classes, not lambdas: picocli's interfaces are of a class file version that the
    // start-up archive cannot hold, so a lambda's class would be spun at each start.

    /** Bad input: one line on stderr, with a "did you mean" where there is one; exit 2. */
    private static final class BadInput implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("rayos: " + UsageMessage.of(ex) + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EXIT_USAGE;
        }
    }

    /** A failure while running: a {@link UserError} as it says, anything else in words (its exit code). */
    private static final class Failed implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine line, CommandLine.ParseResult parseResult) {
            PrintWriter err = line.getErr();
            if (ex instanceof UserError) {
                err.println("rayos: " + oneLine(ex.getMessage()));
                err.flush();
                return ((UserError) ex).exitCode();
            }
            err.println("rayos: " + line.getCommandSpec().qualifiedName().replaceFirst("^rayos ", "") + ": "
                    + oneLine(EnvironmentError.describe(ex)));
            err.flush();
            return EnvironmentError.exitCode(ex);
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        // A tool's output breaks into words; any other control a value brought (U+2028, an escape
        // sequence that would drive the terminal) is shown as \xHH.
        return LineCodec.escapeControls(s.replace('\r', ' ').replace('\n', ' ').trim());
    }

    /** The version line. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rayos " + BuildInfo.version() + " (build " + BuildInfo.buildId() + ")"};
        }
    }
}
