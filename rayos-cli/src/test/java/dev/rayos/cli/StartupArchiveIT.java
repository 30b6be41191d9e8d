package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up archive (AppCDS) through the real {@code ./rayos} launcher and the packaged jar: it is
 * used, it changes no output, and a damaged, foreign or stale archive is ignored with the command
 * still working. Runs after {@code package} (failsafe), where the jar and its archive exist.
 */
class StartupArchiveIT {
    private static final Path REPO = Path.of(System.getProperty("rayos.repo", "..")).toAbsolutePath().normalize();
    private static final Path JAR = REPO.resolve("rayos-cli/target/rayos.jar");
    private static final Path ARCHIVE = REPO.resolve("rayos-cli/target/rayos.jsa");

    record Run(int exit, String out, String err) {}

    @TempDir
    static Path dir;
    static Path root;

    @BeforeAll
    static void aMachineWithLines() throws Exception {
        assertThat(ARCHIVE).as("the build makes the archive beside the jar").exists();
        root = dir.resolve("m");
        assertThat(rayos(Map.of("RAYOS_CDS", "off"), "boot", "--no-wall-clock").exit()).isZero();
        for (int i = 0; i < 25; i++) {
            assertThat(rayos(Map.of(), "log", "app", "SAID", "n=" + i, "msg=hello world").exit()).isZero();
        }
    }

    @Test
    void theLauncherStartsFromTheBuildsArchive() throws Exception {
        Path loads = dir.resolve("loads.txt");
        Run r = rayos(Map.of("RAYOS_JAVA_OPTS", "-Xlog:class+load:file=" + loads), "log", "kernel", "RAYOS_READY");
        assertThat(r.exit()).isZero();
        assertThat(Files.readAllLines(loads)).anyMatch(l -> l.contains("dev.rayos.cli.Main source: shared objects file"));
    }

    @Test
    void logAndLogsPrintTheSameWithAndWithoutTheArchive() throws Exception {
        Run with = rayos(Map.of(), "logs", "-n", "20");
        Run without = rayos(Map.of("RAYOS_CDS", "off"), "logs", "-n", "20");
        assertThat(with).isEqualTo(without);
        assertThat(with.out().lines()).hasSize(20).last().asString().contains("SAID n=24");
        assertThat(rayos(Map.of(), "log", "bad component", "X")).isEqualTo(rayos(Map.of("RAYOS_CDS", "off"), "log", "bad component", "X"));
        assertThat(rayos(Map.of(), "--help")).isEqualTo(rayos(Map.of("RAYOS_CDS", "off"), "--help"));
    }

    @Test
    void aDamagedArchiveIsIgnoredAndTheCommandWorks() throws Exception {
        Path damaged = dir.resolve("damaged.jsa");
        Files.copy(ARCHIVE, damaged, StandardCopyOption.REPLACE_EXISTING);
        damaged.toFile().setWritable(true);
        try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
            for (long at = f.length() / 8; at < f.length(); at += f.length() / 8) {
                f.seek(at);
                f.write(new byte[4096]); // zeros over the middle of every region: a JVM using it would crash
            }
        }
        assertIgnoredAndCommandsWork(damaged);
    }

    @Test
    void aFileThatIsNoArchiveIsIgnoredAndTheCommandWorks() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.jsa"), "not an archive\n");
        assertIgnoredAndCommandsWork(garbage);
        Path truncated = dir.resolve("truncated.jsa");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(ARCHIVE), 65536));
        assertIgnoredAndCommandsWork(truncated);
    }

    @Test
    void anArchiveMadeForAnotherJarIsIgnoredAndTheCommandWorks() throws Exception {
        // The same classes, but another jar file (as after a rebuild): made by the script the guest
        // image uses, with this JVM and a copy of the jar.
        Path other = Files.copy(JAR, dir.resolve("other.jar"), StandardCopyOption.REPLACE_EXISTING);
        Path foreign = dir.resolve("foreign.jsa");
        Process p = new ProcessBuilder("bash", REPO.resolve("rayos-machine/src/main/resources/dev/rayos/machine/image/make-archive.sh").toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), other.toString(), foreign.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("make-archive.txt").toFile()).start();
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("make-archive.txt"))).isZero();
        assertIgnoredAndCommandsWork(foreign);
    }

    @Test
    void anArchiveOlderThanTheJarIsNotUsed() throws Exception {
        Path old = Files.copy(ARCHIVE, dir.resolve("old.jsa"), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(JAR).toMillis() - 60_000));
        assertIgnoredAndCommandsWork(old);
    }

    /** With {@code archive}, no class comes from an app archive, and log and logs work as without one. */
    private static void assertIgnoredAndCommandsWork(Path archive) throws Exception {
        Path loads = dir.resolve("loads-" + archive.getFileName() + ".txt");
        Run log = rayos(Map.of("RAYOS_CDS_ARCHIVE", archive.toString(), "RAYOS_JAVA_OPTS", "-Xlog:class+load:file=" + loads),
                "log", "--level", "ERROR", "disk", "WRITE_FAILED", "dev=/dev/sda");
        assertThat(log).isEqualTo(new Run(0, "", ""));
        assertThat(Files.readAllLines(loads)).noneMatch(l -> l.contains("dev.rayos.cli.Main source: shared objects file"));
        Run logs = rayos(Map.of("RAYOS_CDS_ARCHIVE", archive.toString()), "logs", "-n", "20");
        assertThat(logs).isEqualTo(rayos(Map.of("RAYOS_CDS", "off"), "logs", "-n", "20"));
        assertThat(logs.out().lines()).last().asString().contains("ERROR disk WRITE_FAILED dev=/dev/sda");
    }

    /** {@code ./rayos --root ROOT ARGS} with the environment given. */
    private static Run rayos(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("rayos").toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("RAYOS_ROOT");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("rayos " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
