package dev.rayos.log;

import dev.rayos.log.line.Marker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * A call site passes the same strings line after line, and the builder remembers, per kv
     * position, the key and the bare value it last checked. Whatever comes next at that position —
     * a bad key, a value that needs quotes, the same text in a new string — is still checked.
     */
    @Test
    void whatComesAtAPositionAfterAKnownGoodKeyOrValueIsStillChecked() throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).console(new ByteArrayOutputStream()).open()) {
            Logger k = sys.logger("kernel");
            for (int i = 0; i < 3; i++) {
                k.info("TICK").kv("k", "v").kv("n", i).log();
            }
            k.info("TICK").kv("k", "two words").kv("n", 3).log();
            k.info("TICK").kv("k", new String("v")).kv("n", 4).log();
            k.info("TICK").kv("k", "RAYOS_READY").kv("n", 5).log();
            assertThatThrownBy(() -> k.info("TICK").kv("k", "v").kv("N=", 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> k.info("TICK").kv("bad key", "v")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> k.info("TI=CK")).isInstanceOf(IllegalArgumentException.class);
            k.info("TICK").kv("k", "v").kv("n", 6).log();
        }
        List<String> lines = Files.readAllLines(layout.logFile("boot", boot));
        assertThat(lines).hasSize(7);
        assertThat(lines.get(2)).endsWith(" INFO kernel TICK k=v n=2");
        assertThat(lines.get(3)).endsWith(" INFO kernel TICK k=\"two words\" n=3");
        assertThat(lines.get(4)).endsWith(" INFO kernel TICK k=v n=4");
        assertThat(LineCodec.parse(lines.get(5)).get("k")).isEqualTo("RAYOS_READY");
        assertThat(lines.get(5)).doesNotContain("RAYOS_READY");
        assertThat(lines.get(6)).endsWith(" INFO kernel TICK k=v n=6");
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
