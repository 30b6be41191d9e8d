package dev.rayos.cli;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Range;

/**
 * The picocli model of the commands, read without their annotations. Picocli builds a command's
 * model from its annotations by reflection, and each annotation is a dynamic proxy class generated
 * at run time, which an AppCDS archive cannot hold: for a short command that was the largest part
 * of its start (docs/PERFORMANCE.md, "Start of the short commands"). So the build writes the model
 * of every command it can reproduce exactly ({@link CommandModelWriter}, run after compiling, checks
 * each by rebuilding it and comparing) into the resource {@value #RESOURCE}, and a start builds the
 * same {@code CommandSpec} from it with picocli's programmatic API. The annotations stay the one
 * definition of each command; a command that is not in the resource is built from them as before.
 *
 * <p>The resource is an internal build product (Java {@code DataOutput}): {@value #MAGIC}, the root
 * command's record, then per subcommand of the root its name, aliases, class and record (length
 * -1 when it was not reproducible). A record: the class (instantiated with its no-argument
 * constructor), name, aliases, flags, the usage message, the fields that get the spec and the
 * parent command, the options and positional parameters (each bound to a field), the nested
 * subcommands.
 */
final class CommandModel {
    static final String RESOURCE = "commands.model";
    static final String MAGIC = "rayos-cli-model/1";
    /** Picocli's key of the standard help options' mixin (mixinStandardHelpOptions = true). */
    static final String HELP_MIXIN = "mixinStandardHelpOptions";

    /** A subcommand of the root: its names, class and record (null: build it from its annotations). */
    record Entry(String name, List<String> aliases, String className, byte[] record) {}

    private final byte[] root;
    private final Map<String, Entry> entries;

    CommandModel(byte[] root, Map<String, Entry> entries) {
        this.root = root;
        this.entries = entries;
    }

    /** The model in the jar (or class directory) of this class, or null when there is none or it cannot be read. */
    static CommandModel load() {
        // Read from the jar directly: getResourceAsStream goes through a jar: URL connection, which
        // opens the jar a second time through more machinery (three times as long, measured).
        try {
            Path from = Path.of(CommandModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(from)) {
                Path file = from.resolve("dev/rayos/cli").resolve(RESOURCE);
                return Files.isRegularFile(file) ? load(Files.newInputStream(file)) : null;
            }
            try (JarFile jar = new JarFile(from.toFile(), false)) {
                JarEntry e = jar.getJarEntry("dev/rayos/cli/" + RESOURCE);
                return e == null ? null : load(jar.getInputStream(e));
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return load(CommandModel.class.getResourceAsStream(RESOURCE));
        }
    }

    /** The model {@code in} holds (closed here), or null when there is none or it cannot be read. */
    static CommandModel load(InputStream model) {
        try (InputStream in = model) {
            if (in == null) {
                return null;
            }
            DataInputStream d = new DataInputStream(new BufferedInputStream(in, 1 << 16));
            if (!MAGIC.equals(d.readUTF())) {
                return null;
            }
            byte[] root = bytes(d);
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (int i = d.readInt(); i > 0; i--) {
                String name = d.readUTF();
                List<String> aliases = List.of(strings(d));
                String cls = d.readUTF();
                entries.put(cls, new Entry(name, aliases, cls, bytes(d)));
            }
            return new CommandModel(root, entries);
        } catch (IOException | RuntimeException e) {
            return null; // a damaged model costs speed, never the command: the annotations are still there
        }
    }

    /** The subcommand of the root implemented by {@code c}, or null when the model does not list it. */
    Entry entry(Class<?> c) {
        return entries.get(c.getName());
    }

    /** The root command's line, for {@code userObject}; null when its record does not build. */
    CommandLine root(Object userObject) {
        return build(root, userObject, null);
    }

    /**
     * The command line of a subcommand of the root, with its own subcommands, under {@code parent};
     * null when its record does not build (a model from another build of the classes).
     */
    CommandLine subcommand(Entry e, Object parent) {
        return e.record() == null ? null : build(e.record(), null, parent);
    }

    /** The command line a record describes, for {@code userObject} (null: a new one) under {@code parent}, or null. */
    static CommandLine build(byte[] record, Object userObject, Object parent) {
        try {
            return read(new DataInputStream(new java.io.ByteArrayInputStream(record)), userObject, parent);
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            return null; // its annotations build it instead
        }
    }

    private static CommandLine read(DataInputStream d, Object given, Object parent)
            throws IOException, ReflectiveOperationException {
        Class<?> c = Class.forName(d.readUTF());
        Object user = given != null ? given : newInstance(c);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(user);
        spec.name(d.readUTF());
        spec.aliases(strings(d));
        spec.helpCommand(d.readBoolean());
        String versionProvider = string(d);
        if (versionProvider != null) {
            spec.versionProvider((CommandLine.IVersionProvider) newInstance(Class.forName(versionProvider)));
        }
        usage(d, spec.usageMessage());
        for (int i = d.readInt(); i > 0; i--) {
            boolean isSpec = d.readBoolean();
            Field f = field(user, d.readUTF());
            f.set(user, isSpec ? spec : parent);
        }
        boolean helpMixin = d.readBoolean();
        for (int i = d.readInt(); i > 0; i--) {
            String[] names = strings(d);
            CommandModelArg a = new CommandModelArg(d, user);
            OptionSpec.Builder b = OptionSpec.builder(names).getter(a.binding).setter(a.binding).initialValue(a.initial)
                    .hasInitialValue(a.binding != null).arity(a.arity).required(a.required).interactive(a.interactive)
                    .echo(a.echo).prompt(a.prompt).description(a.description).descriptionKey(a.descriptionKey)
                    .paramLabel(a.paramLabel).hideParamSyntax(a.hideParamSyntax).type(a.type).auxiliaryTypes(a.aux)
                    .converters(a.converters).splitRegex(a.splitRegex).splitRegexSynopsisLabel(a.splitLabel)
                    .hidden(a.hidden).defaultValue(a.defaultValue).showDefaultValue(a.showDefault).scopeType(a.scopeType)
                    .withToString(a.toString).fallbackValue(d.readUTF()).help(d.readBoolean()).usageHelp(d.readBoolean())
                    .versionHelp(d.readBoolean()).negatable(d.readBoolean()).order(d.readInt());
            b.mapFallbackValue(a.mapFallbackValue); // returns picocli's non-public builder type: not chained
            spec.addOption(b.build());
        }
        for (int i = d.readInt(); i > 0; i--) {
            CommandModelArg a = new CommandModelArg(d, user);
            PositionalParamSpec.Builder b = PositionalParamSpec.builder().getter(a.binding).setter(a.binding).initialValue(a.initial)
                    .hasInitialValue(a.binding != null).arity(a.arity).required(a.required).interactive(a.interactive)
                    .echo(a.echo).prompt(a.prompt).description(a.description).descriptionKey(a.descriptionKey)
                    .paramLabel(a.paramLabel).hideParamSyntax(a.hideParamSyntax).type(a.type).auxiliaryTypes(a.aux)
                    .converters(a.converters).splitRegex(a.splitRegex).splitRegexSynopsisLabel(a.splitLabel)
                    .hidden(a.hidden).defaultValue(a.defaultValue).showDefaultValue(a.showDefault).scopeType(a.scopeType)
                    .withToString(a.toString).index(range(d));
            b.mapFallbackValue(a.mapFallbackValue);
            spec.addPositional(b.build());
        }
        if (helpMixin) {
            spec.addMixin(HELP_MIXIN, helpMixin());
        }
        CommandLine cl = new CommandLine(spec);
        for (int i = d.readInt(); i > 0; i--) {
            String name = d.readUTF();
            cl.addSubcommand(name, read(d, null, user));
        }
        return cl;
    }

    private static void usage(DataInputStream d, UsageMessageSpec u) throws IOException {
        u.headerHeading(string(d)).header(strings(d)).synopsisHeading(string(d)).customSynopsis(strings(d))
                .descriptionHeading(string(d)).description(strings(d)).parameterListHeading(string(d))
                .optionListHeading(string(d)).commandListHeading(string(d)).footerHeading(string(d))
                .footer(strings(d)).exitCodeListHeading(string(d)).synopsisSubcommandLabel(string(d))
                .abbreviateSynopsis(d.readBoolean()).sortOptions(d.readBoolean()).sortSynopsis(d.readBoolean())
                .showDefaultValues(d.readBoolean()).hidden(d.readBoolean()).showAtFileInUsageHelp(d.readBoolean())
                .showEndOfOptionsDelimiterInUsageHelp(d.readBoolean()).requiredOptionMarker(d.readChar());
        Map<String, String> codes = new LinkedHashMap<>();
        for (int i = d.readInt(); i > 0; i--) {
            codes.put(d.readUTF(), d.readUTF());
        }
        u.exitCodeList(codes);
    }

    /** Picocli's standard help options (-h/--help, -V/--version) as its annotated mixin declares them. */
    private static CommandSpec helpMixin() {
        CommandSpec mixin = CommandSpec.create();
        mixin.addOption(OptionSpec.builder("${picocli.help.name.0:--h}", "${picocli.help.name.1:---help}").usageHelp(true)
                .paramLabel("<helpRequested>").prompt("")
                .withToString("field boolean picocli.CommandLine$AutoHelpMixin.helpRequested")
                .descriptionKey("mixinStandardHelpOptions.help").description("Show this help message and exit.")
                .arity("0").type(boolean.class).initialValue(false).hasInitialValue(true).build());
        mixin.addOption(OptionSpec.builder("${picocli.version.name.0:--V}", "${picocli.version.name.1:---version}")
                .versionHelp(true).descriptionKey("mixinStandardHelpOptions.version")
                .paramLabel("<versionRequested>").prompt("")
                .withToString("field boolean picocli.CommandLine$AutoHelpMixin.versionRequested")
                .description("Print version information and exit.")
                .arity("0").type(boolean.class).initialValue(false).hasInitialValue(true).build());
        return mixin;
    }

    static Object newInstance(Class<?> c) throws ReflectiveOperationException {
        Constructor<?> k = c.getDeclaredConstructor();
        k.setAccessible(true);
        return k.newInstance();
    }

    static Field field(Object user, String name) throws NoSuchFieldException {
        for (Class<?> c = user.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(user.getClass().getName() + "." + name);
    }

    static Class<?> type(String name) throws ClassNotFoundException {
        switch (name) {
            case "boolean": return boolean.class;
            case "int": return int.class;
            case "long": return long.class;
            case "double": return double.class;
            default: return Class.forName(name);
        }
    }

    static Range range(DataInputStream d) throws IOException {
        return new Range(d.readInt(), d.readInt(), d.readBoolean(), d.readBoolean(), string(d));
    }

    static String string(DataInputStream d) throws IOException {
        return d.readBoolean() ? d.readUTF() : null;
    }

    static String[] strings(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            return null;
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = d.readUTF();
        }
        return out;
    }

    private static byte[] bytes(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        d.readFully(b);
        return b;
    }
}
