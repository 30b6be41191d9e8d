package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 11, the help items and bug 12's "help crash show". */
class HelpTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;
    static List<CommandLine> everyCommand() {
        List<CommandLine> out = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(RayosCommand.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.remove(0);
            out.add(c);
            todo.addAll(c.getSubcommands().values());
        }
        return out;
    }

    @Test
    void helpOfANestedCommandPrintsThatCommandsHelp() {
        Cli.Result r = Cli.run("help", "crash", "show");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: rayos crash show");
    }

    @Test
    void helpOfHelpExplainsHelpItself() {
        Cli.Result r = Cli.run("help", "help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: rayos help ").contains("Show the help of a command");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void helpOfAnUnknownCommandIsBadInputWithACloseName() {
        Cli.Result r = Cli.run("help", "crash", "shwo");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("rayos: no command 'shwo' in 'rayos crash' (did you mean 'show'?)\n");
    }

    @Test
    void aMistypedCommandOrOptionGetsADidYouMean() {
        Cli.Result cmd = Cli.run("lgs");
        assertThat(cmd.exit()).isEqualTo(2);
        assertThat(cmd.err()).contains("'lgs'").contains("did you mean 'log").hasLineCount(1);
        Cli.Result opt = Cli.run("logs", "--sinse", "-1h");
        assertThat(opt.exit()).isEqualTo(2);
        assertThat(opt.err()).contains("'--sinse'").contains("did you mean '--since'").hasLineCount(1);
        // swapped letters, which picocli's own similarity misses; its parser words are not shown
        assertThat(Cli.run("lgos").err()).isEqualTo("rayos: unknown command 'lgos' (did you mean 'log' or 'logs'?) "
                + "(see 'rayos --help')\n");
        assertThat(Cli.run("crash", "shwo").err()).startsWith("rayos: unknown command 'shwo' (did you mean 'show'?)");
        assertThat(Cli.run("boots", "extra").err()).isEqualTo("rayos: unexpected argument 'extra' (see 'rayos boots --help')\n");
        Cli.onRoot(tmp, "boot");
        assertThat(Cli.onRoot(tmp, "crashes", "lsit").err()).contains("(did you mean 'list'?)");
        assertThat(Cli.run("crash", "ingest", "--serial", "a", "--hs-err", "b").err())
                .startsWith("rayos: --serial=FILE, --hs-err=FILE are mutually exclusive");
    }

    @Test
    void everyCommandHasADescriptionOfWholeSentencesAndNoSpecCitations() {
        for (CommandLine c : everyCommand()) {
            String name = c.getCommandSpec().qualifiedName();
            String[] d = c.getCommandSpec().usageMessage().description();
            assertThat(d).as(name).isNotEmpty();
            String text = String.join(" ", d).trim();
            assertThat(text).as(name + " ends a sentence").matches("(?s).*[.)]$");
            String usage = c.getUsageMessage();
            assertThat(usage).as(name).doesNotContain("spec §").doesNotContain("§");
        }
    }

    @Test
    void everyCommandThatDoesSomethingShowsExamples() {
        for (CommandLine c : everyCommand()) {
            String name = c.getCommandSpec().qualifiedName();
            if (!c.getSubcommands().isEmpty() && !(c.getCommand() instanceof CrashesCommand)
                    || c.getCommand() instanceof HelpCommand) {
                continue; // a group: its subcommands show theirs
            }
            assertThat(c.getUsageMessage()).as(name).contains("Examples:");
        }
    }

    @Test
    void helpIsWrappedToTheTerminalWidth() {
        CommandLine cl = RayosCommand.commandLine();
        cl.setUsageHelpWidth(60);
        String usage = cl.getSubcommands().get("logs").getUsageMessage();
        for (String line : usage.split("\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(60);
        }
    }

    @Test
    void aDescriptionIsWrappedAsWholeParagraphsNotAsTheSourcesLines() {
        CommandLine cl = RayosCommand.commandLine("image", "build", "--help");
        cl.setUsageHelpWidth(200);
        String usage = cl.getSubcommands().get("image").getSubcommands().get("build").getUsageMessage();
        // one paragraph in the source's several strings: on a wide terminal its first sentences share a line
        assertThat(usage).contains("(systemd-boot, the kernel, an initramfs holding busybox");
        cl.setUsageHelpWidth(60);
        usage = cl.getSubcommands().get("image").getSubcommands().get("build").getUsageMessage();
        for (String line : usage.split("\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(60);
        }
    }

    @Test
    void indentedExamplesAndListsInADescriptionKeepTheirLines() {
        assertThat(HelpParagraphs.join(new String[] {"Reads the log,", "whole.", "", "  rayos x", "  rayos y", "Kinds:", "a b."}))
                .containsExactly("Reads the log, whole.", "", "  rayos x", "  rayos y", "Kinds:", "a b.");
    }

    @Test
    void theExitCodesInHelpAreTheTableOfTheDocs() throws Exception {
        String help = Cli.run("--help").out();
        String repo = System.getProperty("rayos.repo");
        Path root = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath().getParent();
        String doc = Files.readString(root.resolve("docs/reading-logs.md"));
        Matcher m = Pattern.compile("(?m)^\\| ([0-9]+) \\| (.+) \\|$").matcher(doc.substring(doc.indexOf("## Exit codes")));
        int rows = 0;
        while (m.find()) {
            assertThat(help).containsPattern("(?m)^ +" + m.group(1) + " +");
            rows++;
        }
        assertThat(rows).isEqualTo(ExitCodes.ROWS.size());
        for (ExitCodes.Row r : ExitCodes.ROWS) {
            assertThat(doc).contains("| " + r.code() + " | " + r.meaning() + " |");
        }
    }

    @Test
    void everyCommandsHelpListsTheCodesItAnswersWithFromTheOneTable() {
        for (CommandLine c : everyCommand()) {
            String name = c.getCommandSpec().qualifiedName();
            String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(usage).as(name).contains("Exit codes (");
            java.util.Map<String, String> rows = c.getCommandSpec().usageMessage().exitCodeList();
            assertThat(rows).as(name).containsKeys(" 0", " 2", " 3");
            for (var row : rows.entrySet()) {
                int code = Integer.parseInt(row.getKey().trim());
                ExitCodes.Row table = ExitCodes.ROWS.stream().filter(r -> r.code() == code).findFirst().orElseThrow();
                if (code == 1 && !name.equals("rayos")) {
                    // said in the command's own terms: each part one of the table's
                    for (String part : row.getValue().replace("a check did not hold: ", "").split(", ")) {
                        assertThat(table.meaning()).as(name).contains(part);
                    }
                } else {
                    assertThat(row.getValue()).as(name + " " + code).isEqualTo(table.meaning());
                }
            }
        }
        assertThat(ExitCodes.forCommand("status").get(" 1")).isEqualTo("a check did not hold: not ready, no boots yet");
        assertThat(ExitCodes.forCommand("harness run")).containsKeys(" 4", " 5", " 6", " 7", " 8").doesNotContainKey(" 9");
        assertThat(ExitCodes.forCommand("log")).containsKey("10").doesNotContainKey(" 1");
        assertThat(ExitCodes.forCommand("crashes list")).containsKey(" 9");
    }

    @Test
    void theReadmesLinksStayInsideTheRepository() throws Exception {
        String repo = System.getProperty("rayos.repo");
        Path root = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath().getParent();
        String readme = Files.readString(root.resolve("README.md"));
        Matcher m = Pattern.compile("\\]\\(([^)#]+)[^)]*\\)").matcher(readme);
        while (m.find()) {
            String target = m.group(1);
            if (target.startsWith("http")) {
                continue;
            }
            Path p = root.resolve(target).normalize();
            assertThat(p).as(target).startsWith(root.normalize());
            assertThat(Files.exists(p)).as(target).isTrue();
        }
    }
}
