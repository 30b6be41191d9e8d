package dev.rayos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class JUnitReportTest {
    @TempDir Path tmp;

    @Test
    void consoleWithControlCharactersAndCdataEndStillGivesWellFormedXml() throws Exception {
        Expectation a = new Expectation("RAYOS_READY", Duration.ofSeconds(5));
        Expectation b = new Expectation("RAYOS_LINUX_VM_READY", Duration.ofSeconds(5));
        Expectation c = new Expectation("RAYOS_PRESENTATION:on", Duration.ofSeconds(5));
        RunResult r = new RunResult(Outcome.TIMEOUT, "marker=RAYOS_LINUX_VM_READY waited_ms=5000",
                List.of(new RunResult.Result(a, true, true, 1200, Outcome.PASSED),
                        new RunResult.Result(b, true, false, 5000, Outcome.TIMEOUT),
                        new RunResult.Result(c, false, false, 0, Outcome.TIMEOUT)),
                6300, "boot \u0000\u001b[2J\u0007 ]]> <tag> & \uD83D\uDE00 end", List.of(), null);
        Path xml = tmp.resolve("r.xml");

        JUnitReport.write(r, "rayos-harness", xml);

        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertThat(d.getDocumentElement().getAttribute("tests")).isEqualTo("3");
        assertThat(d.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(d.getDocumentElement().getAttribute("skipped")).isEqualTo("1");
        assertThat(d.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("type").getNodeValue()).isEqualTo("timeout");
        assertThat(d.getElementsByTagName("system-out").item(0).getTextContent()).contains("]]> <tag> & \uD83D\uDE00 end");
    }
}
