package dev.rayos.cli;

import dev.rayos.log.line.LineCodec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * picocli's usage errors as a person says them, in the project's style (lower case, no parser
 * words like "index" or "int"), with the "did you mean" hint: {@code unknown command 'lgos' (did
 * you mean 'logs'?)}, {@code --vacuum-files '99999999999' is out of range (at most 2147483647)}.
 */
final class UsageMessage {
    private static final Pattern NOT_A_NUMBER = Pattern.compile(
            "Invalid value for (?:option|positional parameter) '([^']+)': '(.*)' is not an? (int|long)");
    private static final Pattern UNMATCHED_ONE = Pattern.compile("Unmatched argument at index \\d+: ('.*')");
    private static final Pattern UNMATCHED_MANY = Pattern.compile("Unmatched arguments from index \\d+: (.*)");

    private UsageMessage() {}

    /** The line to print after {@code rayos: } (without the "see --help" tail). */
    static String of(CommandLine.ParameterException ex) {
        boolean commands = !ex.getCommandLine().getSubcommands().isEmpty();
        return words(RayosCommand.oneLine(ex.getMessage()), commands) + DidYouMean.of(ex);
    }

    /** {@code message} as {@link RayosCommand#oneLine} leaves it: no line breaks, controls shown as \xHH. */
    static String words(String message, boolean hasSubcommands) {
        Matcher m = NOT_A_NUMBER.matcher(message);
        if (m.find()) {
            String value = m.group(2);
            boolean digits = value.matches("-?[0-9]{1,4000}");
            String max = m.group(3).equals("int") ? Integer.toString(Integer.MAX_VALUE) : Long.toString(Long.MAX_VALUE);
            return m.group(1) + " '" + LineCodec.printable(value.length() > 40 ? value.substring(0, 40) + "…" : value)
                    + (digits ? "' is out of range (at most " + max + ")" : "' is not a whole number");
        }
        m = UNMATCHED_ONE.matcher(message);
        if (m.matches()) {
            return (hasSubcommands ? "unknown command " : "unexpected argument ") + m.group(1);
        }
        m = UNMATCHED_MANY.matcher(message);
        if (m.matches()) {
            return (hasSubcommands ? "unknown command and arguments " : "unexpected arguments ") + m.group(1);
        }
        String s = message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
        s = s.replaceFirst("^Unknown option: ", "unknown option ");
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
