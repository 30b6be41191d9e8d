package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source launcher's two choices, run by bash from the launcher itself: it rebuilds when a module's
 * source, resource or pom changed since the jar (a file added or removed too), not for a benchmark's,
 * and on one or two CPUs it runs every command but the long-lived ones with C1 only.
 */
class LauncherChoicesTest {
    private static final Path LAUNCHER = Path.of("..").toAbsolutePath().normalize().resolve("rayos");
    private static final FileTime OLD = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
    private static final FileTime JAR = FileTime.from(Instant.parse("2026-01-02T00:00:00Z"));
    private static final FileTime NEW = FileTime.from(Instant.parse("2026-01-03T00:00:00Z"));

    @TempDir
    Path tree;

    private Path file(String rel) throws IOException {
        Path p = tree.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        return p;
    }

    /** A checkout whose every file and directory is older than its jar. */
    private void checkoutBuiltSinceItsLastChange() throws IOException {
        file("pom.xml");
        file("rayos-log/pom.xml");
        file("rayos-log/src/main/java/dev/A.java");
        file("rayos-cli/pom.xml");
        file("rayos-cli/src/main/resources/x.properties");
        file("rayos-bench/pom.xml");
        file("rayos-bench/src/main/java/B.java");
        file("rayos-cli/target/rayos.jar");
        try (var all = Files.walk(tree)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, OLD);
            }
        }
        Files.setLastModifiedTime(tree.resolve("rayos-cli/target/rayos.jar"), JAR);
    }

    private String bash(String script, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", "-c", script, "_"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    /** What the launcher's own stale() says of the tree. */
    private String staleness() throws Exception {
        return bash("set -euo pipefail; here=$1; jar=$here/rayos-cli/target/rayos.jar;"
                + " source <(sed -n '/^stale() {/,/^}/p' \"$2\"); if stale; then echo stale; else echo fresh; fi",
                tree.toString(), LAUNCHER.toString());
    }

    @Test
    void aCheckoutBuiltSinceItsLastChangeIsNotRebuilt() throws Exception {
        checkoutBuiltSinceItsLastChange();
        assertThat(staleness()).isEqualTo("fresh");
    }

    @Test
    void anEditedSourceResourceOrPomRebuildsAndABenchmarksDoesNot() throws Exception {
        checkoutBuiltSinceItsLastChange();
        for (String rel : List.of("rayos-log/src/main/java/dev/A.java", "rayos-cli/src/main/resources/x.properties",
                "rayos-log/pom.xml", "pom.xml")) {
            Files.setLastModifiedTime(tree.resolve(rel), NEW);
            assertThat(staleness()).as(rel).isEqualTo("stale");
            Files.setLastModifiedTime(tree.resolve(rel), OLD);
        }
        Files.setLastModifiedTime(tree.resolve("rayos-bench/src/main/java/B.java"), NEW);
        Files.setLastModifiedTime(tree.resolve("rayos-bench/pom.xml"), NEW);
        assertThat(staleness()).isEqualTo("fresh");
    }

    @Test
    void aSourceAddedOrRemovedRebuildsAndSoDoesAMissingJar() throws Exception {
        checkoutBuiltSinceItsLastChange();
        Path dir = tree.resolve("rayos-log/src/main/java/dev");
        Files.delete(dir.resolve("A.java")); // the directory's time moves
        assertThat(staleness()).isEqualTo("stale");
        Files.setLastModifiedTime(dir, OLD);
        Files.writeString(dir.resolve("C.java"), "x");
        Files.setLastModifiedTime(dir.resolve("C.java"), OLD);
        assertThat(staleness()).isEqualTo("stale");
        Files.setLastModifiedTime(dir, OLD);
        assertThat(staleness()).isEqualTo("fresh");
        Files.delete(tree.resolve("rayos-cli/target/rayos.jar"));
        assertThat(staleness()).isEqualTo("stale");
    }

    @Test
    void onOneOrTwoCpusEveryCommandButTheLongLivedOnesRunsWithC1Only() throws Exception {
        String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
        boolean small = online.equals("0") || online.equals("0-1");
        // the launcher's own block, run on the command line given after the launcher's path
        String script = "set -euo pipefail; f=$1; shift; opts=(); source <(sed -n '/^online=/,/^esac/p' \"$f\");"
                + " echo \"${opts[*]:-none}\"";
        for (List<String> args : List.of(List.of("logs", "-n", "20"), List.of("--root", "/r", "log", "app", "E"),
                List.of("--root", "agent", "boots"), List.<String>of())) {
            assertThat(bash(script, concat(LAUNCHER.toString(), args))).as(args.toString())
                    .isEqualTo(small ? "-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10" : "none");
        }
        for (List<String> args : List.of(List.of("agent", "run"), List.of("--root", "/r", "forward"),
                List.of("--root=/r", "harness", "run"))) {
            assertThat(bash(script, concat(LAUNCHER.toString(), args))).as(args.toString()).isEqualTo("none");
        }
    }

    private static String[] concat(String first, List<String> rest) {
        String[] out = new String[rest.size() + 1];
        out[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            out[i + 1] = rest.get(i);
        }
        return out;
    }
}
