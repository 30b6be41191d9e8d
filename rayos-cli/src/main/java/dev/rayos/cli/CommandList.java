package dev.rayos.cli;

import java.util.Map;
import picocli.CommandLine;

/**
 * The "Commands:" section of a help: each subcommand with the first sentence of its description
 * (the description is one paragraph; the list shows how it starts, never a line cut mid-sentence).
 */
final class CommandList implements CommandLine.IHelpSectionRenderer {
    @Override
    public String render(CommandLine.Help help) {
        Map<String, CommandLine.Help> subs = help.subcommands();
        if (subs.isEmpty()) {
            return "";
        }
        int width = help.commandSpec().usageMessage().width();
        int nameWidth = 2;
        for (String n : subs.keySet()) {
            nameWidth = Math.max(nameWidth, n.length() + 2);
        }
        CommandLine.Help.TextTable table = CommandLine.Help.TextTable.forColumns(help.colorScheme(),
                new CommandLine.Help.Column(nameWidth + 2, 2, CommandLine.Help.Column.Overflow.SPAN),
                new CommandLine.Help.Column(Math.max(20, width - nameWidth - 2), 2, CommandLine.Help.Column.Overflow.WRAP));
        for (Map.Entry<String, CommandLine.Help> e : subs.entrySet()) {
            String[] d = e.getValue().commandSpec().usageMessage().description();
            table.addRowValues(e.getKey(), firstSentence(d.length == 0 ? "" : d[0]));
        }
        return table.toString();
    }

    static String firstSentence(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && (c == '.' || c == ':') && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
                return s.substring(0, i) + (c == '.' ? "." : ".");
            }
        }
        return s;
    }

    /** Installs the renderer and terminal-wide help on a command line and all its subcommands. */
    static void install(CommandLine cl) {
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandList());
        for (CommandLine sub : cl.getSubcommands().values()) {
            install(sub);
        }
    }
}
