package dev.rayos.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Descriptions are written in the source as several short strings, and picocli prints each string
 * as a line of its own, wrapped on its own: at any other width the paragraph came out ragged, cut
 * mid-sentence. This joins the strings of one paragraph, so picocli wraps the whole paragraph to
 * the terminal. A paragraph ends at an empty string, before a string that starts with a space or a
 * list mark (an indented example or a list item, which keep their own lines), and after a string
 * ending with a colon.
 */
final class HelpParagraphs {
    private HelpParagraphs() {}

    /** Joins the description of {@code cl} and of every command under it. */
    static void install(CommandLine cl) {
        var usage = cl.getCommandSpec().usageMessage();
        usage.description(join(usage.description()));
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub != cl) {
                install(sub);
            }
        }
    }

    static String[] join(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder para = null;
        for (String line : lines) {
            boolean breaksBefore = line.isEmpty() || startsOwnLine(line.charAt(0));
            if (para != null && !breaksBefore && !endsParagraph(para)) {
                para.append(' ').append(line);
                continue;
            }
            if (para != null) {
                out.add(para.toString());
            }
            para = new StringBuilder(line);
        }
        if (para != null) {
            out.add(para.toString());
        }
        return out.toArray(String[]::new);
    }

    private static boolean startsOwnLine(char first) {
        return first == ' ' || first == '*' || first == '-';
    }

    private static boolean endsParagraph(StringBuilder para) {
        return para.length() == 0 || para.charAt(para.length() - 1) == ':' || startsOwnLine(para.charAt(0));
    }
}
