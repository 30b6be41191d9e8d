package dev.rayos.log.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.Lines;
import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.line.Level;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.root.RootLayout;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTest {
    @TempDir
    Path root;

    @Test
    void withoutAFileTheDefaultsHoldTenFilesOfTenMebibytesAndRedactInputAndAi() {
        Policy.Loaded l = Policy.load(new RootLayout(root));
        assertThat(l.error()).isNull();
        Policy p = l.policy();
        assertThat(p.retention("boot")).isEqualTo(new Policy.Retention(10, 10L << 20));
        assertThat(p.isRedacted("input")).isTrue();
        assertThat(p.isRedacted("ai")).isTrue();
        assertThat(p.isRedacted("boot")).isFalse();
        assertThat(p.categoryOf("input.keyboard")).isEqualTo("input");
        assertThat(p.categoryOf("kernel")).isEqualTo("boot");
        assertThat(p.syncInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void everySettingIsRead() throws Exception {
        Policy p = Policy.parse(String.join("\n",
                "# comment", "", "retention.max_files = 4   # trailing comment",
                "retention.max_file_size = 2MiB", "retention.ai.max_files = 2", "category.camera = media",
                "category.input.touch = touch", "privacy.input = clear", "privacy.media = redact",
                "ring.size = 1MiB", "log.min_level = warning", "console.device = stdout",
                "console.queue_size = 16KiB", "store.sync_interval = 200ms", "crash.last_lines = 50", ""));
        assertThat(p.retention("boot")).isEqualTo(new Policy.Retention(4, 2L << 20));
        assertThat(p.retention("ai")).isEqualTo(new Policy.Retention(2, 2L << 20));
        assertThat(p.categoryOf("camera.front")).isEqualTo("media");
        assertThat(p.categoryOf("input.touch")).isEqualTo("touch");
        assertThat(p.categoryOf("input.keys")).isEqualTo("input");
        assertThat(p.isRedacted("input")).isFalse();
        assertThat(p.isRedacted("media")).isTrue();
        assertThat(p.ringBytes()).isEqualTo(1L << 20);
        assertThat(p.minLevel()).isEqualTo(Level.WARN);
        assertThat(p.consoleDevice()).isEqualTo("stdout");
        assertThat(p.consoleQueueBytes()).isEqualTo(16 * 1024);
        assertThat(p.syncInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(p.crashLastLines()).isEqualTo(50);
    }

    @Test
    void aBadLineIsNamedByItsNumber() {
        assertThatThrownBy(() -> Policy.parse("retention.max_files = 10\nretention.max_file_size = huge\n"))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("line 2: ")
                .hasMessageContaining("huge");
        assertThatThrownBy(() -> Policy.parse("\n\nretension.max_files = 10\n"))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith("line 3: unknown setting");
        assertThatThrownBy(() -> Policy.parse("category.x = ../../etc\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("not a category name");
        assertThatThrownBy(() -> Policy.parse("store.sync_interval = 5s\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("at most 1s");
        assertThatThrownBy(() -> Policy.parse("retention.max_file_size = 4KiB\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("minimum");
    }

    @Test
    void aMalformedPolicyFileIsReportedInTheLogAndLoggingGoesOnWithTheDefaults() throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.policyFile().getParent());
        Files.writeString(layout.policyFile(), "privacy.input = clear\nthis is not a setting\n");
        BootId boot = BootId.random();
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).console(OutputStream.nullOutputStream()).open()) {
            sys.logger("input").info("KEY").kv("text", "secret").log();
        }
        List<LogLine> lines = Lines.of(layout, "boot", boot);
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.event()).isEqualTo("RAYOS_POLICY_INVALID");
            assertThat(l.get("line")).isEqualTo("2");
            assertThat(l.get("file")).isEqualTo("etc/rayos/policy.conf");
        });
        // The defaults apply: the half-read "privacy.input = clear" does not.
        assertThat(Files.readString(layout.logFile("input", boot))).contains("text=[redacted]").doesNotContain("secret");
    }

    @Property(tries = 1000)
    void anyTextIsEitherAPolicyOrATypedErrorWithALine(@ForAll("policyText") String text) {
        try {
            Policy.parse(text);
        } catch (PolicyException e) {
            assertThat(e.line()).isNotNegative();
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<String> policyText() {
        Arbitrary<String> keys = Arbitraries.of("retention.max_files", "retention.max_file_size", "ring.size",
                "category.a", "privacy.x", "log.min_level", "store.sync_interval", "console.queue_size",
                "retention.boot.max_files", "crash.last_lines", "x", "");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("10", "10MiB", "-1", "99999999999999999999", "1s", "0ms", "redact", "WARN", "stdout"));
        Arbitrary<String> line = net.jqwik.api.Combinators.combine(keys, Arbitraries.of(" = ", "=", " "), values)
                .as((k, s, v) -> k + s + v);
        return line.list().ofMaxSize(6).map(ls -> String.join("\n", ls));
    }
}
