package dev.rayos.log.root;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a machine keeps everything under its root (ARCHITECTURE.md, "Layout under the root"). */
class RootLayoutTest {
    static final BootId BOOT = BootId.parse("0123456789abcdef0123456789abcdef");

    @TempDir
    Path dir;

    @Test
    void everyPathIsWhereTheLayoutSaysUnderTheRoot() {
        RootLayout l = new RootLayout(dir.resolve("m/../machine"));
        Path r = dir.resolve("machine").toAbsolutePath().normalize();
        assertThat(l.root()).isEqualTo(r);
        assertThat(l.toString()).isEqualTo(r.toString());
        assertThat(l.policyFile()).isEqualTo(r.resolve("etc/rayos/policy.conf"));
        assertThat(l.runDir()).isEqualTo(r.resolve("run/rayos"));
        assertThat(l.ringDir()).isEqualTo(r.resolve("run/rayos/ring"));
        assertThat(l.syslogSocket()).isEqualTo(r.resolve("run/rayos/log.sock"));
        assertThat(l.forwardDir()).isEqualTo(r.resolve("var/rayos/forward"));
        assertThat(l.logsDir()).isEqualTo(r.resolve("var/rayos/logs"));
        assertThat(l.categoryDir("boot")).isEqualTo(r.resolve("var/rayos/logs/boot"));
        assertThat(l.logFile("input", BOOT)).isEqualTo(r.resolve("var/rayos/logs/input/" + BOOT.hex() + ".log"));
        assertThat(l.bootDir()).isEqualTo(r.resolve("var/rayos/boot"));
        assertThat(l.currentBootIdFile()).isEqualTo(r.resolve("var/rayos/boot/current_boot_id"));
        assertThat(l.historyDir()).isEqualTo(r.resolve("var/rayos/boot/history"));
        assertThat(l.historyFile(BOOT)).isEqualTo(r.resolve("var/rayos/boot/history/" + BOOT.hex() + ".json"));
        assertThat(l.crashPanicsDir()).isEqualTo(r.resolve("var/rayos/crash/panics"));
        assertThat(l.crashReport(BOOT)).isEqualTo(r.resolve("var/rayos/crash/panics/" + BOOT.hex() + ".log"));
        assertThat(l.crashPreservedDir()).isEqualTo(r.resolve("var/rayos/crash/preserved"));
        assertThat(l.dataDir()).isEqualTo(r.resolve("var/rayos"));
        assertThat(l.vmsDir()).isEqualTo(r.resolve("var/rayos/vm"));
        assertThat(l.vmDir("win11")).isEqualTo(r.resolve("var/rayos/vm/win11"));
        assertThat(l.recoveryDir()).isEqualTo(r.resolve("var/rayos/recovery"));
        assertThat(l.quarantineDir()).isEqualTo(r.resolve("var/rayos/recovery/quarantine"));
        assertThat(l.resetJournal()).isEqualTo(r.resolve("var/rayos/recovery/factory-reset.journal"));
        assertThat(l.relative(l.crashReport(BOOT))).isEqualTo("var/rayos/crash/panics/" + BOOT.hex() + ".log");
    }

    @Test
    void theRootIsTheOptionWhenGivenElseRayosRootElseSlash() {
        assertThat(RootLayout.choose(dir.toString()).root()).isEqualTo(dir.toAbsolutePath().normalize());
        String env = System.getenv("RAYOS_ROOT");
        Path fallback = Path.of(env == null || env.isEmpty() ? "/" : env).toAbsolutePath().normalize();
        assertThat(RootLayout.choose(null).root()).isEqualTo(fallback);
        assertThat(RootLayout.choose("").root()).isEqualTo(fallback);
    }

    @ParameterizedTest(name = "category \"{0}\" is refused")
    @ValueSource(strings = {"", "Boot", "1boot", "_x", "a/b", "..", "a.b", "a b", "abcdefghijklmnopqrstuvwxyz0123456"})
    void aCategoryThatCouldNotBeADirectoryNameOfOursIsRefused(String name) {
        assertThat(RootLayout.isCategory(name)).isFalse();
        assertThatThrownBy(() -> new RootLayout(dir).categoryDir(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not [a-z][a-z0-9_-]* of at most 32 characters");
    }

    @Test
    void categoriesOfOneTo32LowerCaseCharactersAreAccepted() {
        for (String ok : new String[] {"a", "boot", "ai", "x-y_z9", "abcdefghijklmnopqrstuvwxyz012345"}) {
            assertThat(RootLayout.requireCategory(ok)).isEqualTo(ok);
        }
        assertThat(RootLayout.isCategory(null)).isFalse();
        assertThatThrownBy(() -> RootLayout.requireCategory(null)).hasMessageContaining("category 'null'");
        assertThatThrownBy(() -> RootLayout.requireCategory("bad\nname")).hasMessageContaining("bad\\x0aname");
    }

    @Test
    void vmNamesStartWithALetterOrDigitAndNeverClimbOut() {
        for (String ok : new String[] {"w", "Win11", "9", "deb-12.4_x", "a" + "b".repeat(63)}) {
            assertThat(RootLayout.requireVmName(ok)).isEqualTo(ok);
        }
        for (String bad : new String[] {"", ".", "..", ".hidden", "-x", "a/b", "a b", "a" + "b".repeat(64)}) {
            assertThat(RootLayout.isVmName(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> new RootLayout(dir).vmDir(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(RootLayout.isVmName(null)).isFalse();
        assertThatThrownBy(() -> RootLayout.requireVmName(null)).hasMessageContaining("VM name 'null'");
    }

    @Test
    void aPathInsideTheRootPassesAndALinkOutOfItIsRefused() throws IOException {
        RootLayout l = new RootLayout(dir.resolve("machine"));
        Files.createDirectories(l.logsDir());
        l.requireInside(l.logsDir());
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(l.logsDir().resolve("input"), outside);
        assertThatThrownBy(() -> l.requireInside(l.logsDir().resolve("input"))).isInstanceOf(IOException.class)
                .hasMessageContaining("outside the root");
    }

    @Test
    void anAtomicWriteLeavesTheNewContentAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("var/rayos/boot/current_boot_id");
        AtomicFiles.write(target, "old\n".getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.write(target, "new\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(Files.readString(target)).isEqualTo("new\n");
        try (var files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("current_boot_id");
        }
    }
}
