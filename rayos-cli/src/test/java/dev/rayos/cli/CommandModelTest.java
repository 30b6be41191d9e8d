package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands' picocli models written by the build and read without annotations (CommandModel). */
class CommandModelTest {
    @TempDir
    Path root;

    @Test
    void theBuildPutTheModelOfTheRootAndTheShortCommandsOnTheClassPath() {
        CommandModel model = CommandModel.load();
        assertThat(model).as("the build writes " + CommandModel.RESOURCE + " after compiling").isNotNull();
        assertThat(model.root(new RayosCommand())).isNotNull();
        for (Class<?> c : new Class<?>[] {LogCommand.class, LogsCommand.class, CatCommand.class, BootCommand.class,
                BootsCommand.class, StatusCommand.class, ShutdownCommand.class, TimeSyncCommand.class, HelpCommand.class}) {
            CommandModel.Entry e = model.entry(c);
            assertThat(e).as(c.getSimpleName()).isNotNull();
            assertThat(model.subcommand(e, new RayosCommand())).as(c.getSimpleName()).isNotNull();
        }
    }

    @Test
    void everyCommandReadFromTheModelIsTheOneItsAnnotationsMake() {
        assertThat(ModelDifferences.of(RayosCommand.whole(CommandModel.load()), RayosCommand.whole(null)))
                .isEmpty();
    }

    @Test
    void noOptionHasATypeWhoseConverterIsLeftOut() {
        java.util.List<CommandLine> todo = new java.util.ArrayList<>(java.util.List.of(RayosCommand.whole(null)));
        while (!todo.isEmpty()) {
            CommandLine c = todo.remove(0);
            todo.addAll(c.getSubcommands().values());
            for (CommandLine.Model.ArgSpec a : c.getCommandSpec().args()) {
                java.util.List<Class<?>> types = new java.util.ArrayList<>(java.util.List.of(a.auxiliaryTypes()));
                types.add(a.type());
                for (Class<?> t : types) {
                    assertThat(t.getName()).as(c.getCommandSpec().qualifiedName() + " " + a)
                            .doesNotMatch(RayosCommand.CONVERTERS_EXCLUDED);
                }
            }
        }
    }

    @Test
    void aCommandTheModelCannotCarryIsNamedWithWhyAndBuiltFromItsAnnotations() throws IOException {
        StringWriter notes = new StringWriter();
        byte[] bytes = CommandModelWriter.model(new PrintWriter(notes, true));
        assertThat(notes.toString()).contains("'crashes' is built from its annotations: it has a mixin (selection)");
        CommandModel model = CommandModel.load(new ByteArrayInputStream(bytes));
        assertThat(model.subcommand(model.entry(CrashesCommand.class), new RayosCommand())).isNull();
        CommandLine whole = RayosCommand.whole(model);
        assertThat(whole.getSubcommands()).containsKey("crashes");
        assertThat(ModelDifferences.of(whole, RayosCommand.whole(null))).isEmpty();
    }

    @Test
    void aDamagedModelIsIgnoredAndTheCommandsAnswerAsBefore() throws IOException {
        byte[] good = CommandModelWriter.model(new PrintWriter(new StringWriter()));
        assertThat(CommandModel.load(new ByteArrayInputStream(new byte[0]))).isNull();
        assertThat(CommandModel.load(new ByteArrayInputStream("garbage".getBytes()))).isNull();
        assertThat(CommandModel.load(new ByteArrayInputStream(Arrays.copyOf(good, good.length / 2)))).isNull();
        ByteArrayOutputStream other = new ByteArrayOutputStream();
        new DataOutputStream(other).writeUTF("rayos-cli-model/2");
        assertThat(CommandModel.load(new ByteArrayInputStream(other.toByteArray()))).isNull();
        // a record that no longer fits the classes (another build): its command comes from the annotations
        byte[] renamed = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("component", "componenX").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        CommandModel stale = CommandModel.load(new ByteArrayInputStream(renamed));
        assertThat(stale.entry(LogCommand.class)).isNotNull();
        assertThat(stale.subcommand(stale.entry(LogCommand.class), new RayosCommand())).isNull();
        String[] args = {"--root", root.toString(), "log", "--help"};
        assertThat(run(RayosCommand.commandLine(stale, args), args)).isEqualTo(run(RayosCommand.whole(null), args));
        String[] bad = {"--root", root.toString(), "log", "--level", "LOUD", "kernel", "X"};
        assertThat(run(RayosCommand.commandLine(stale, bad), bad)).isEqualTo(run(RayosCommand.whole(null), bad));
    }

    @Test
    void aCommandFromTheModelGetsItsParentItsSpecAndItsValues() {
        String[] args = {"--root", root.toString(), "log", "--level", "WARN", "kernel", "DISK_SLOW", "dev=sda", "ms=12"};
        CommandLine cl = RayosCommand.commandLine(CommandModel.load(), args);
        CommandLine.ParseResult pr = cl.parseArgs(args);
        LogCommand log = (LogCommand) pr.subcommand().commandSpec().userObject();
        assertThat(log.parent).isSameAs(cl.getCommand());
        assertThat(log.parent.root).isEqualTo(root.toString());
        assertThat(log.parent.spec).isSameAs(cl.getCommandSpec());
        assertThat(log.level).isEqualTo("WARN");
        assertThat(log.component).isEqualTo("kernel");
        assertThat(log.event).isEqualTo("DISK_SLOW");
        assertThat(log.fields).containsExactly("dev=sda", "ms=12");
    }

    private static String run(CommandLine cl, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return code + "\n" + out + "\n--\n" + err;
    }
}
