package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path root;

    @Test
    void serveTakesLoggerMessagesUntilSigtermAndTheyAreReadable() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/logger")),
                "util-linux logger is not installed (.ci/install-bridges.sh installs it)");
        Process serve = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", root.toString(), "serve"))
                .redirectErrorStream(true).redirectOutput(root.resolve("serve.out").toFile()).start();
        try {
            Path out = root.resolve("serve.out");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains("\n") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.readString(out)).startsWith("rayos serve: listening on ").contains("run/rayos/log.sock");
            Process logger = new ProcessBuilder("logger", "-u", root.resolve("run/rayos/log.sock").toString(),
                    "--socket-errors=on", "-t", "backup", "-p", "daemon.err", "disk failed").start();
            assertThat(logger.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(logger.exitValue()).isZero();
        } finally {
            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.exists(root.resolve("run/rayos/log.sock"))).isFalse();
        StringBuilder logged = new StringBuilder();
        try (var files = Files.walk(root.resolve("var/rayos/logs"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                logged.append(Files.readString(f));
            }
        }
        assertThat(logged.toString()).contains(" ERROR backup SYSLOG facility=daemon ").contains("msg=\"disk failed\"")
                .contains(" NOTICE serve SERVE_STOP frames=1 ");
    }
}
