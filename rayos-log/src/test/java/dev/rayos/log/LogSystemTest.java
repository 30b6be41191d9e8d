package dev.rayos.log;

import dev.rayos.log.line.Marker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSystemTest {
    @TempDir
    Path root;

    @Test
    void linesReachTheBootLogInOrderAndTheConsoleToo() throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).console(console).open()) {
            Logger k = sys.logger("kernel");
            for (int i = 0; i < 1000; i++) {
                k.info("TICK").kv("i", i).kv("text", "hello world").log();
            }
            k.info(Marker.READY).kv("mode", "bicameral").log();
        }
        List<String> lines = Files.readAllLines(layout.logFile("boot", boot));
        assertThat(lines).hasSize(1000 + 0 + 1);
        for (int i = 0; i < 1000; i++) {
            LogLine l = LineCodec.parse(lines.get(i));
            assertThat(l.component()).isEqualTo("kernel");
            assertThat(l.get("i")).isEqualTo(String.valueOf(i));
            assertThat(l.get("text")).isEqualTo("hello world");
        }
        assertThat(lines.get(1000)).contains(" INFO kernel RAYOS_READY mode=bicameral");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("RAYOS_READY mode=bicameral");
        assertThat(Files.list(layout.ringDir())).isEmpty();
    }

    @Test
    void inputComponentsAreRedactedIntoTheirOwnCategory() throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).open()) {
            sys.logger("input.keyboard").info("KEY").kv("text", "my password").log();
        }
        String line = Files.readString(layout.logFile("input", boot));
        assertThat(line).contains("KEY text=[redacted]").doesNotContain("password");
        assertThat(layout.logFile("boot", boot)).doesNotExist();
    }
}
