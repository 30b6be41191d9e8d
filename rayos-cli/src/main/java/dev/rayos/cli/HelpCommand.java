package dev.rayos.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rayos help [COMMAND [SUBCOMMAND]]}: the help of any command, nested ones included
 * ({@code rayos help crash show}) and help itself ({@code rayos help help}); an unknown name is bad input with a "did you mean".
 */
@Command(name = "help", helpCommand = true,
        description = "Show the help of a command: rayos help logs, rayos help crash show.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command (and subcommand) to explain.")
    List<String> names = new ArrayList<>();

    private CommandLine self;
    private PrintWriter out;
    private PrintWriter err;
    private CommandLine.Help.ColorScheme colors;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out,
                     PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        CommandLine at = self.getParent();
        if (names.equals(List.of("help"))) {
            // "rayos help help" explains help itself, as git and systemctl do
            at = self;
            names = List.of();
        }
        for (String n : names) {
            Map<String, CommandLine> subs = at.getSubcommands();
            CommandLine next = subs.get(n);
            if (next == null || n.equals("help")) {
                List<String> close = DidYouMean.suggestions(n, subs.keySet());
                throw new UserError("no command '" + RayosCommand.oneLine(n) + "' in '"
                        + at.getCommandSpec().qualifiedName() + "'" + DidYouMean.hint(close));
            }
            at = next;
        }
        at.usage(out, colors);
        out.flush();
    }
}
