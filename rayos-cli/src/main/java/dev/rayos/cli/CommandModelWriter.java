package dev.rayos.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IAnnotatedElement;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Range;

/**
 * Writes {@link CommandModel}'s resource at build time (rayos-cli's pom runs it after compiling):
 * the model picocli builds from each command's annotations, for every command whose model can be
 * rebuilt from the record exactly. Each is checked by rebuilding it and comparing everything
 * picocli reads from a model (every attribute of the command, its usage message, parser, options
 * and parameters, and the usage help it prints); one that differs, or that uses what the record
 * does not carry (mixins other than the standard help options, argument groups, parameter
 * consumers), is listed without a record and built from its annotations at run time.
 *
 * <p>{@code java dev.rayos.cli.CommandModelWriter FILE} writes FILE; {@code -v} before FILE also
 * names on stderr the commands left to their annotations, and why.
 */
final class CommandModelWriter {
    private CommandModelWriter() {}

    /** Why a command's model cannot be written as a record. */
    static final class NotReproducible extends Exception {
        NotReproducible(String why) {
            super(why);
        }
    }

    public static void main(String[] args) throws IOException {
        StringWriter notes = new StringWriter();
        byte[] model = model(new PrintWriter(notes, true));
        Path out = Path.of(args[args.length - 1]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, model);
        if (args[0].equals("-v")) {
            System.err.print(notes);
        }
    }

    /** The resource's bytes; commands left to their annotations are named on {@code notes}. */
    static byte[] model(PrintWriter notes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bytes);
        d.writeUTF(CommandModel.MAGIC);
        CommandLine root = new CommandLine(new RayosCommand());
        try {
            writeBytes(d, checked(root, true));
        } catch (NotReproducible e) {
            throw new IllegalStateException("the root command's model must be reproducible: " + e.getMessage());
        }
        d.writeInt(RayosCommand.SUBCOMMANDS.size());
        for (Class<?> c : RayosCommand.SUBCOMMANDS) {
            CommandLine sub = new CommandLine(c);
            d.writeUTF(sub.getCommandName());
            strings(d, sub.getCommandSpec().aliases());
            d.writeUTF(c.getName());
            try {
                writeBytes(d, checked(sub, false));
            } catch (NotReproducible e) {
                notes.println("rayos-cli model: '" + sub.getCommandName() + "' is built from its annotations: " + e.getMessage());
                d.writeInt(-1);
            }
        }
        d.flush();
        return bytes.toByteArray();
    }

    /** The record of {@code cl}, after checking that it rebuilds the same model. */
    private static byte[] checked(CommandLine cl, boolean isRoot) throws IOException, NotReproducible {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        write(d, cl);
        d.flush();
        byte[] record = b.toByteArray();
        CommandLine again = CommandModel.build(record, isRoot ? new RayosCommand() : null, null);
        List<String> diff = ModelDifferences.of(cl, again);
        if (!diff.isEmpty()) {
            throw new NotReproducible("rebuilt, it differs in " + diff);
        }
        return record;
    }

    private static void write(DataOutputStream d, CommandLine cl) throws IOException, NotReproducible {
        CommandSpec spec = cl.getCommandSpec();
        Object user = spec.userObject();
        if (user == null || user instanceof Method || user instanceof CommandSpec) {
            throw new NotReproducible("its command is not an object of a class");
        }
        for (String key : spec.mixins().keySet()) {
            if (!key.equals(CommandModel.HELP_MIXIN)) {
                throw new NotReproducible("it has a mixin (" + key + ")");
            }
        }
        if (!spec.argGroups().isEmpty() || !spec.unmatchedArgsBindings().isEmpty()) {
            throw new NotReproducible("it has argument groups or takes unmatched arguments");
        }
        d.writeUTF(user.getClass().getName());
        d.writeUTF(spec.name());
        strings(d, spec.aliases());
        d.writeBoolean(spec.helpCommand());
        CommandLine.IVersionProvider vp = spec.versionProvider();
        string(d, vp == null ? null : vp.getClass().getName());
        boolean interpolate = spec.interpolateVariables();
        spec.interpolateVariables(false); // every text as written: picocli expands its variables at run time
        try {
            writeContent(d, cl, spec, user);
        } finally {
            spec.interpolateVariables(interpolate);
        }
    }

    private static void writeContent(DataOutputStream d, CommandLine cl, CommandSpec spec, Object user)
            throws IOException, NotReproducible {
        usage(d, spec.usageMessage());
        List<IAnnotatedElement> injected = new ArrayList<>(spec.specElements());
        injected.addAll(spec.parentCommandElements());
        d.writeInt(injected.size());
        for (IAnnotatedElement e : injected) {
            d.writeBoolean(e.isSpec());
            d.writeUTF(fieldOf(e.userObject(), e.getToString(), user).getName());
        }
        CommandSpec helpMixin = spec.mixins().get(CommandModel.HELP_MIXIN);
        d.writeBoolean(helpMixin != null);
        List<OptionSpec> options = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.inherited() && (helpMixin == null || !helpMixin.options().contains(o))) {
                options.add(o);
            }
        }
        d.writeInt(options.size());
        for (OptionSpec o : options) {
            strings(d, o.names());
            arg(d, o, user);
            d.writeUTF(o.fallbackValue());
            d.writeBoolean(o.help());
            d.writeBoolean(o.usageHelp());
            d.writeBoolean(o.versionHelp());
            d.writeBoolean(o.negatable());
            d.writeInt(o.order());
        }
        List<PositionalParamSpec> positionals = new ArrayList<>();
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.inherited()) {
                positionals.add(p);
            }
        }
        d.writeInt(positionals.size());
        for (PositionalParamSpec p : positionals) {
            arg(d, p, user);
            range(d, p.index());
        }
        Map<String, CommandLine> subs = cl.getSubcommands();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : subs.entrySet()) {
            if (e.getKey().equals(e.getValue().getCommandName())) {
                names.add(e.getKey()); // aliases come with the subcommand's own record
            }
        }
        d.writeInt(names.size());
        for (String n : names) {
            d.writeUTF(n);
            write(d, subs.get(n));
        }
    }

    private static void arg(DataOutputStream d, ArgSpec a, Object user) throws IOException, NotReproducible {
        if (a.parameterConsumer() != null || !a.preprocessor().getClass().getName().endsWith("$NoOpParameterPreprocessor")) {
            throw new NotReproducible(a + " has a parameter consumer or preprocessor");
        }
        if ("_NULL_".equals(a.defaultValue()) || (a instanceof OptionSpec && "_NULL_".equals(((OptionSpec) a).fallbackValue()))) {
            throw new NotReproducible(a + " has a null default or fallback");
        }
        string(d, a.userObject() == null ? null : fieldOf(a.userObject(), a, user).getName());
        d.writeUTF(a.toString());
        range(d, a.arity());
        d.writeBoolean(a.required());
        d.writeBoolean(a.interactive());
        d.writeBoolean(a.echo());
        string(d, a.prompt());
        strings(d, a.description());
        string(d, a.descriptionKey());
        d.writeUTF(a.paramLabel());
        d.writeBoolean(a.hideParamSyntax());
        d.writeUTF(a.type().getName());
        List<String> aux = new ArrayList<>();
        for (Class<?> c : a.auxiliaryTypes()) {
            aux.add(c.getName());
        }
        strings(d, aux.toArray(String[]::new));
        List<String> converters = new ArrayList<>();
        for (CommandLine.ITypeConverter<?> c : a.converters()) {
            converters.add(c.getClass().getName());
        }
        strings(d, converters.toArray(String[]::new));
        d.writeUTF(a.splitRegex());
        d.writeUTF(a.splitRegexSynopsisLabel());
        d.writeBoolean(a.hidden());
        string(d, a.defaultValue());
        string(d, a.mapFallbackValue());
        d.writeUTF(a.showDefaultValue().name());
        d.writeUTF(a.scopeType().name());
    }

    /** The field of {@code user} (or a superclass) that an annotated element ({@code member}) is. */
    private static Field fieldOf(Object member, Object what, Object user) throws NotReproducible {
        if (!(member instanceof Field)) {
            throw new NotReproducible(what + " is not a field");
        }
        Field f = (Field) member;
        if (!f.getDeclaringClass().isInstance(user) || Modifier.isStatic(f.getModifiers())) {
            throw new NotReproducible(what + " is not a field of the command");
        }
        return f;
    }

    private static void usage(DataOutputStream d, UsageMessageSpec u) throws IOException {
        string(d, u.headerHeading());
        strings(d, u.header());
        string(d, u.synopsisHeading());
        strings(d, u.customSynopsis());
        string(d, u.descriptionHeading());
        strings(d, u.description());
        string(d, u.parameterListHeading());
        string(d, u.optionListHeading());
        string(d, u.commandListHeading());
        string(d, u.footerHeading());
        strings(d, u.footer());
        string(d, u.exitCodeListHeading());
        string(d, u.synopsisSubcommandLabel());
        d.writeBoolean(u.abbreviateSynopsis());
        d.writeBoolean(u.sortOptions());
        d.writeBoolean(u.sortSynopsis());
        d.writeBoolean(u.showDefaultValues());
        d.writeBoolean(u.hidden());
        d.writeBoolean(u.showAtFileInUsageHelp());
        d.writeBoolean(u.showEndOfOptionsDelimiterInUsageHelp());
        d.writeChar(u.requiredOptionMarker());
        Map<String, String> codes = u.exitCodeList();
        d.writeInt(codes.size());
        for (Map.Entry<String, String> e : codes.entrySet()) {
            d.writeUTF(e.getKey());
            d.writeUTF(e.getValue());
        }
    }

    private static void range(DataOutputStream d, Range r) throws IOException {
        d.writeInt(r.min());
        d.writeInt(r.max());
        d.writeBoolean(r.isVariable());
        d.writeBoolean(r.isUnspecified());
        string(d, r.originalValue());
    }

    private static void string(DataOutputStream d, String s) throws IOException {
        d.writeBoolean(s != null);
        if (s != null) {
            d.writeUTF(s);
        }
    }

    private static void strings(DataOutputStream d, String[] s) throws IOException {
        if (s == null) {
            d.writeInt(-1);
            return;
        }
        d.writeInt(s.length);
        for (String x : s) {
            d.writeUTF(x);
        }
    }

    private static void writeBytes(DataOutputStream d, byte[] b) throws IOException {
        d.writeInt(b.length);
        d.write(b);
    }
}
