package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path root;

    @Test
    void theDemoBootsCleanlyThenCrashesInEarlyBootAndTheNextBootRecoversTheReport() throws Exception {
        Cli.Result r = Cli.process(new byte[0], "--root", root.toString(), "demo");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        String out = r.out();
        // Boot 1 on the console: early-boot lines, redacted input, the readiness markers.
        assertThat(out).contains("RAYOS_BOOTLOADER_START", "INFO input KEY text=[redacted]", "RAYOS_READY mode=bicameral")
                .doesNotContain("hunter2");
        // Boot 2: mono timestamps before the panic, and the banner.
        assertThat(out).containsPattern("mono:\\d+ INFO kernel RAYOS_KERNEL_START").contains("cannot mount the data partition");
        List<BootRecord> boots = new Boots(new RootLayout(root), LogClock.system()).list().boots();
        assertThat(boots).extracting(BootRecord::end).containsExactly(EndState.CLEAN, EndState.CRASH, EndState.CLEAN);
        BootRecord crashed = boots.get(1);
        assertThat(new RootLayout(root).crashReport(crashed.id())).exists();
        assertThat(Files.readString(new RootLayout(root).crashReport(crashed.id())))
                .contains("reason=cannot mount the data partition").contains("fault_address=0x0000000000000018");
        assertThat(out).contains("$ rayos --root ").contains(" crashes"); // started without the ./rayos launcher
        assertThat(out).as("no colour codes").doesNotContain("\u001b");
        // every command the demo suggests runs, and the file it names exists
        String tryLine = out.lines().filter(l -> l.startsWith("== try: ")).findFirst().orElseThrow();
        for (String cmd : tryLine.substring("== try: ".length()).split("\\|")) {
            List<String> words = List.of(cmd.trim().split(" +"));
            assertThat(words.get(0)).isEqualTo("rayos");
            Cli.Result tried = Cli.run(words.subList(1, words.size()).toArray(String[]::new));
            assertThat(tried.exit()).as(cmd + ": " + tried.err()).isZero();
        }
        String drawn = out.lines().filter(l -> l.startsWith("== the timeline of boot 1 is drawn in ")).findFirst().orElseThrow();
        assertThat(Path.of(drawn.replaceAll(".* drawn in (\\S+) .*", "$1"))).exists();
        // The plot is a well-formed SVG.
        Path svg = root.resolve("boot-1.svg");
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline
        assertThat(xml.newDocumentBuilder().parse(svg.toFile()).getDocumentElement().getTagName()).isEqualTo("svg");
        try (var s = Files.list(new RootLayout(root).ringDir())) {
            assertThat(s).as("rings left behind").isEmpty();
        }
    }
}
