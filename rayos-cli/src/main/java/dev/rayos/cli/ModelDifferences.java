package dev.rayos.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where two picocli command lines' models differ: how {@link CommandModelWriter} checks that a
 * command rebuilt from its record is the one its annotations make, and how the tests check the
 * whole command.
 */
final class ModelDifferences {
    private ModelDifferences() {}

    /**
     * Where two command lines' models differ, as {@code path.attribute: a != b}: every public
     * attribute of each command, usage message, parser, option and parameter (compared by value),
     * and the usage help each command prints; the same for every subcommand. Empty when equal.
     */
    static List<String> of(CommandLine a, CommandLine b) {
        List<String> out = new ArrayList<>();
        compare(a, b, a.getCommandSpec().qualifiedName(), out);
        return out;
    }

    private static void compare(CommandLine a, CommandLine b, String path, List<String> out) {
        CommandSpec x = a.getCommandSpec();
        CommandSpec y = b.getCommandSpec();
        attributes(x, y, path, out);
        attributes(x.usageMessage(), y.usageMessage(), path + ".usage", out);
        attributes(x.parser(), y.parser(), path + ".parser", out);
        same(path + ".mixins", x.mixins().keySet(), y.mixins().keySet(), out);
        same(path + ".options", x.options().size(), y.options().size(), out);
        for (int i = 0; i < Math.min(x.options().size(), y.options().size()); i++) {
            String at = path + ".option[" + x.options().get(i).longestName() + "]";
            attributes(x.options().get(i), y.options().get(i), at, out);
            same(at + ".toString", x.options().get(i).toString(), y.options().get(i).toString(), out);
        }
        same(path + ".positionals", x.positionalParameters().size(), y.positionalParameters().size(), out);
        for (int i = 0; i < Math.min(x.positionalParameters().size(), y.positionalParameters().size()); i++) {
            String at = path + ".positional[" + i + "]";
            attributes(x.positionalParameters().get(i), y.positionalParameters().get(i), at, out);
            same(at + ".toString", x.positionalParameters().get(i).toString(), y.positionalParameters().get(i).toString(), out);
        }
        same(path + ".usageHelp", a.getUsageMessage(CommandLine.Help.Ansi.OFF), b.getUsageMessage(CommandLine.Help.Ansi.OFF), out);
        same(path + ".subcommands", a.getSubcommands().keySet(), b.getSubcommands().keySet(), out);
        for (String n : a.getSubcommands().keySet()) {
            if (b.getSubcommands().containsKey(n)) {
                compare(a.getSubcommands().get(n), b.getSubcommands().get(n), path + " " + n, out);
            }
        }
    }

    /** Attributes that are objects of their own (compared elsewhere, or by identity only). */
    private static final List<String> SKIPPED = List.of("addMethodSubcommands", "getClass", "hashCode", "toString",
            "toBuilder", "userObject",
            "commandLine", "command", "parent", "root", "getter", "setter", "scope", "group", "typeInfo", "subcommands",
            "mixins", "mixinAnnotatedElements", "options", "optionsMap", "negatedOptionsMap", "posixOptionsMap",
            "positionalParameters", "args", "argGroups", "requiredArgs", "unmatchedArgsBindings", "specElements",
            "parentCommandElements", "usageMessage", "parser", "helpFactory", "sectionMap", "messages", "resourceBundle",
            "defaultValueProvider", "versionProvider", "negatableOptionTransformer", "modelTransformer",
            "preprocessor", "parameterConsumer", "interpolator", "stringValues", "originalStringValues",
            "typedValues", "getValue", "commandMethodParamValues", "scopeString", "exitCodeOnSuccess",
            "exitCodeOnUsageHelp", "exitCodeOnVersionHelp", "exitCodeOnInvalidInput", "exitCodeOnExecutionException",
            "width", "longOptionsMaxWidth");

    private static void attributes(Object x, Object y, String path, List<String> out) {
        for (Method m : x.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || m.getReturnType() == void.class || SKIPPED.contains(m.getName())
                    || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Object vx;
            Object vy;
            try {
                vx = m.invoke(x);
                vy = m.invoke(y);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue; // an attribute that cannot be asked here (it needs a parse result)
            }
            same(path + "." + m.getName(), shown(vx), shown(vy), out);
        }
    }

    private static Object shown(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Object[]) {
            Object[] a = (Object[]) v;
            List<Object> l = new ArrayList<>();
            for (Object e : a) {
                l.add(shown(e));
            }
            return l.toString();
        }
        if (v instanceof Class) {
            return ((Class<?>) v).getName();
        }
        if (v instanceof CommandLine.ITypeConverter || v instanceof Iterable && !(v instanceof java.util.Collection)) {
            return v.getClass().getName(); // a converter or completion candidates: the same kind
        }
        return String.valueOf(v);
    }

    private static void same(String what, Object x, Object y, List<String> out) {
        if (!x.equals(y)) {
            out.add(what + ": " + x + " != " + y);
        }
    }
}
