package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The new parsers of the reading commands (priorities, component lists, matches, -n, -F, crash
 * matches, vacuum sizes and times) over hostile values: the answer is output (0), nothing matched
 * (1) or one line on stderr with exit 2, never an exception (3) and never more than one line.
 */
class CliInputPropertiesTest {
    static Path root;

    @BeforeContainer
    static void aMachine() throws Exception {
        root = Files.createTempDirectory("cli-props");
        Cli.onRoot(root, "boot");
        Cli.onRoot(root, "log", "--level", "WARN", "disk", "SMART", "dev=/dev/sda");
    }

    @AfterContainer
    static void removeIt() throws Exception {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("0123456789-+.,:=*?abcdeghiknorstuwADEKLMNOTVZ ").ofMaxLength(24),
                Arbitraries.of("..", "warning..", "..err", "8", "-1", "99999999999", "all", "1 hour ago", "K", "=",
                        "COMPONENT=", "=x", "dev=", "1G", "-0", "0x10", "9".repeat(30), "", " "));
    }

    @Provide
    Arbitrary<String> option() {
        return Arbitraries.of("logs -p", "logs -u", "logs -n", "logs -F", "logs -o", "logs --since", "logs -g",
                "logs --case-sensitive", "logs --vacuum-size", "logs --vacuum-time", "logs --vacuum-files", "logs",
                "crashes", "crashes info", "crashes --since", "analyze -b", "status -o", "boots -o");
    }

    @Property(tries = 300)
    void everyValueGetsOutputOrOneLineOfWhyNeverAnException(@ForAll("option") String option, @ForAll("hostile") String value) {
        List<String> args = new java.util.ArrayList<>(List.of(option.split(" ")));
        args.add(value);
        if (option.contains("vacuum")) {
            args.add("--disk-usage"); // vacuuming deletes archived files only; the machine has none
        }
        ReadingCli.Result r = ReadingCli.run(root, args.toArray(new String[0]));
        assertThat(r.exit()).as(args + " -> " + r.err()).isIn(0, 1, 2);
        if (r.exit() == 2) {
            // one line as a terminal shows it: U+2028, U+0085 and the like break it too
            assertThat(r.err().split("\\v", -1)).as(args.toString()).hasSize(2).endsWith("");
            assertThat(r.err()).startsWith("rayos: ").doesNotContain("Exception").doesNotContain("is not an int")
                    .doesNotContain("(a timestamp starts the line)");
        }
    }
}
