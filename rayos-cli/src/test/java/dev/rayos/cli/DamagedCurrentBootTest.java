package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, bug 3: a garbage current_boot_id is said, never silently worked around; an implicit boot has BOOT_START. */
class DamagedCurrentBootTest {
    @TempDir
    Path root;

    String boot() {
        return Cli.onRoot(root, "boot").out().trim();
    }

    void damage() throws Exception {
        Files.writeString(root.resolve("var/rayos/boot/current_boot_id"), "zz\u0001garbage\n");
    }

    @Test
    void readersSayTheFileIsDamagedAndShowTheLatestBoot() throws Exception {
        boot();
        String b = boot();
        damage();
        ReadingCli.Result r = ReadingCli.run(root, "logs");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("boot_id=" + b);
        assertThat(r.err()).isEqualTo("rayos: var/rayos/boot/current_boot_id is damaged (it holds 'zz\\x01garbage', "
                + "not a boot id): showing the latest boot\n");
        assertThat(ReadingCli.run(root, "status").err()).contains("current_boot_id is damaged");
    }

    @Test
    void shutdownSaysTheFileIsDamagedRatherThanThatNoBootRuns() throws Exception {
        boot();
        damage();
        Cli.Result r = Cli.onRoot(root, "shutdown");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("rayos: var/rayos/boot/current_boot_id is damaged").hasLineCount(1);
    }

    @Test
    void aNewBootOrLineAfterDamageLeavesNoBootRunningForever() throws Exception {
        String old = boot();
        damage();
        Cli.Result logged = Cli.onRoot(root, "log", "app", "HELLO");
        assertThat(logged.exit()).isZero();
        assertThat(logged.err()).contains("current_boot_id is damaged").contains("starting a new boot");
        String boots = Cli.onRoot(root, "boots", "-o", "json").out();
        assertThat(boots.lines().filter(l -> l.contains("\"end\":\"running\""))).hasSize(1);
        assertThat(boots).contains("\"boot_id\":\"" + old + "\"").containsPattern(old + "\".*\"end\":\"unclean\"");
    }

    @Test
    void aBootStartedImplicitlyByLogHasItsBootStart() {
        Cli.onRoot(root, "log", "app", "FIRST");
        String raw = ReadingCli.run(root, "logs", "-o", "raw").out();
        assertThat(raw).containsPattern("NOTICE boot BOOT_START boot_id=[0-9a-f]{32} seq=0 mode=normal");
        assertThat(raw.indexOf("BOOT_START")).isLessThan(raw.indexOf("FIRST"));
    }
}
