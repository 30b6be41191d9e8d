package dev.rayos.cli;

import java.util.List;
import picocli.CommandLine;

/** The "did you mean" hint for a mistyped command or option, from picocli's own suggestions. */
final class DidYouMean {
    private DidYouMean() {}

    /** {@code " (did you mean 'logs'?)"}, or empty when picocli has no close match. */
    static String of(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException)) {
            return "";
        }
        List<String> s = ((CommandLine.UnmatchedArgumentException) ex).getSuggestions();
        return hint(s);
    }

    static String hint(List<String> s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        List<String> some = s.subList(0, Math.min(3, s.size()));
        return " (did you mean '" + String.join("' or '", some) + "'?)";
    }
}
