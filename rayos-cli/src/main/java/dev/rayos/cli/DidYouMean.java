package dev.rayos.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The "did you mean" hint for a mistyped command, option or value: picocli's own suggestions, else
 * the names within two edits (a swapped pair of letters counts as one, so 'lgos' finds 'logs',
 * which picocli's similarity misses) or sharing a prefix.
 */
final class DidYouMean {
    private DidYouMean() {}

    /** {@code " (did you mean 'logs'?)"}, or empty when nothing is close. */
    static String of(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException)) {
            return "";
        }
        CommandLine.UnmatchedArgumentException u = (CommandLine.UnmatchedArgumentException) ex;
        List<String> s = u.getSuggestions();
        if ((s == null || s.isEmpty()) && !u.getUnmatched().isEmpty()) {
            s = suggestions(u.getUnmatched().get(0), names(ex.getCommandLine(), u.getUnmatched().get(0).startsWith("-")));
        }
        return hint(s);
    }

    static String hint(List<String> s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        List<String> some = s.subList(0, Math.min(3, s.size()));
        return " (did you mean '" + String.join("' or '", some) + "'?)";
    }

    private static List<String> names(CommandLine cl, boolean options) {
        List<String> out = new ArrayList<>();
        if (options) {
            for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
                out.addAll(List.of(o.names()));
            }
        } else {
            out.addAll(cl.getSubcommands().keySet());
        }
        return out;
    }

    /** Names (but help) that share a prefix with {@code n} or lie within two edits of it. */
    static List<String> suggestions(String n, Iterable<String> names) {
        List<String> out = new ArrayList<>();
        for (String c : names) {
            if (c.equals("help") || n.isEmpty()) {
                continue;
            }
            if (c.startsWith(n) || n.startsWith(c) || distance(c, n) <= 2) {
                out.add(c);
            }
        }
        return out;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2 || a.length() > 64 || b.length() > 64) {
            return 3; // more than two edits apart, or too long to be a mistyped name
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
