package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rayos logs -o export} and {@code -o json} against docs/reading-logs-vectors.txt, and read
 * by the real tools: jq, and systemd-journal-remote + journalctl for the export format.
 */
class LogsOutputVectorsTest {
    private static final String BOOT = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path root;
    final List<String> lines = new ArrayList<>();
    final ByteArrayOutputStream export = new ByteArrayOutputStream();
    final StringBuilder json = new StringBuilder();

    @BeforeEach
    void readVectors() throws Exception {
        String r = System.getProperty("rayos.repo");
        Path repo = r != null ? Path.of(r) : Path.of("..").toAbsolutePath().normalize();
        boolean open = false;
        for (String v : Files.readAllLines(repo.resolve("docs/reading-logs-vectors.txt"), StandardCharsets.UTF_8)) {
            if (v.startsWith("line ")) {
                if (open) {
                    export.write('\n');
                }
                lines.add(v.substring(5));
                open = true;
            } else if (v.startsWith("export ")) {
                export.writeBytes(unescape(v.substring(7)));
                export.write('\n');
            } else if (v.startsWith("json ")) {
                json.append(v.substring(5)).append('\n');
            }
        }
        export.write('\n');
        Path log = Files.createDirectories(root.resolve("var/rayos/logs/boot")).resolve(BOOT + ".log");
        Files.writeString(log, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /** \n, \xHH and \\ as bytes; the rest UTF-8. */
    private static byte[] unescape(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && s.charAt(i + 1) == 'n') {
                b.write('\n');
                i++;
            } else if (c == '\\' && s.charAt(i + 1) == 'x') {
                b.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (c == '\\' && s.charAt(i + 1) == '\\') {
                b.write('\\');
                i++;
            } else {
                b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toByteArray();
    }

    /** The real command's standard output, as bytes, written to {@code out}. */
    private byte[] rayos(Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(root.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(root.resolve("err.txt"))).isZero();
        return Files.readAllBytes(out);
    }

    private static String run(Path stdin, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectInput(stdin.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    @Test
    void exportWritesTheEntriesOfTheVectorsByteForByte() throws Exception {
        assertThat(rayos(root.resolve("export.bin"), "logs", "-b", "all", "-o", "export")).isEqualTo(export.toByteArray());
    }

    @Test
    void jsonWritesTheLinesOfTheVectorsAndJqReadsThem() throws Exception {
        byte[] out = rayos(root.resolve("out.json"), "logs", "-b", "all", "-o", "json");
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo(json.toString());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/jq")), "jq is not installed (.ci/install-cli.sh installs it): skipped");
        assertThat(run(root.resolve("out.json"), "jq", "-e", "-s", "-r", ".[] | "
                + "select(.fields.msg == \"two\\nlines, a \\\"quote\\\" and RAYOS_READY\") | .component")).isEqualTo("app\n");
        assertThat(run(root.resolve("out.json"), "jq", "-e", "-s", "-r", "map(.level) | join(\",\")"))
                .isEqualTo("WARN,INFO,INFO,ERROR\n");
    }

    @Test
    void journalToolingImportsTheExportAndReadsBackTheBinaryFields() throws Exception {
        Path remote = Path.of("/lib/systemd/systemd-journal-remote");
        assumeTrue(Files.isExecutable(remote),
                "systemd-journal-remote is not installed (.ci/install-cli.sh installs it): skipped");
        Path bin = root.resolve("export.bin");
        rayos(bin, "logs", "-b", "all", "-o", "export");
        Path journal = root.resolve("imported.journal");
        run(bin, remote.toString(), "--output=" + journal, "-");
        String read = run(bin, "journalctl", "--file", journal.toString(), "-o", "json",
                "--output-fields=MESSAGE,PRIORITY,SYSLOG_IDENTIFIER,RAYOS_F_TAB");
        assertThat(read.split("\n")).hasSize(4);
        assertThat(read).contains("\"MESSAGE\":\"two\\nlines, a \\\"quote\\\" and RAYOS_READY\"")
                .contains("\"RAYOS_F_TAB\":\"a\\tb\"").contains("\"SYSLOG_IDENTIFIER\":\"db\"").contains("\"PRIORITY\":\"3\"");
    }
}
