package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReadingCommandsTest {
    @TempDir
    Path root;
    @TempDir
    Path elsewhere;

    String boot(String... opts) {
        String[] a = new String[opts.length + 1];
        a[0] = "boot";
        System.arraycopy(opts, 0, a, 1, opts.length);
        ReadingCli.Result r = ReadingCli.run(root, a);
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().trim();
    }

    void log(String... args) {
        String[] a = new String[args.length + 1];
        a[0] = "log";
        System.arraycopy(args, 0, a, 1, args.length);
        ReadingCli.Result r = ReadingCli.run(root, a);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void aBootWithoutWallClockLogsMonoUntilTimeSyncAndThenReadsInUtcWithEstimates() throws Exception {
        String id = boot("--no-wall-clock");
        log("kernel", "EARLY", "n=1");
        assertThat(Files.readString(root.resolve("var/rayos/logs/boot/" + id + ".log"))).contains("mono:");
        assertThat(ReadingCli.run(root, "time-sync", "--utc", "2025-12-30T15:12:01Z").exit()).isZero();
        log("kernel", "LATE", "n=2");
        String raw = ReadingCli.run(root, "logs", "-o", "raw").out();
        assertThat(raw).containsPattern("mono:[0-9]+ NOTICE time RAYOS_TIME_SYNC mono=[0-9]+ utc=2025-12-30T15:12:01.000000Z");
        assertThat(raw).containsPattern("(?m)^20[0-9-]+T[0-9:.]+Z INFO kernel LATE n=2$");
        String shortOut = ReadingCli.run(root, "logs").out();
        assertThat(shortOut).containsPattern("(?m)^~2025-12-30T15:1[12]:[0-9.]+Z INFO kernel EARLY n=1$");
        assertThat(shortOut).containsPattern("(?m)^~2025-12-30T15:12:01.0[0-9]*Z NOTICE time RAYOS_TIME_SYNC");
        String history = Files.readString(root.resolve("var/rayos/boot/history/" + id + ".json"));
        assertThat(history).contains("\"wall_clock\" : true").contains("\"time_sync\"");
    }

    @Test
    void aBootWithWallClockCarriesUtcFromItsFirstLine() {
        String id = boot();
        log("kernel", "HELLO");
        String raw = ReadingCli.run(root, "logs", "-o", "raw").out();
        assertThat(raw).doesNotContain("mono:").containsPattern("(?m)^20[0-9-]+T[0-9:.]+Z NOTICE boot BOOT_START boot_id=" + id);
        assertThat(ReadingCli.run(root, "boots").out()).containsPattern("(?m)^ +0  " + id + "  20[0-9-]+T");
    }

    @Test
    void relativeAndAbsoluteBootValuesPickTheBootsJournalctlWould() {
        String a = boot();
        log("kernel", "IN_A");
        String b = boot("--mode", "safe");
        log("kernel", "IN_B");
        String c = boot();
        log("kernel", "IN_C");
        assertThat(ReadingCli.run(root, "logs").out()).contains("IN_C").doesNotContain("IN_B");
        assertThat(ReadingCli.run(root, "logs", "-b").out()).contains("IN_C").doesNotContain("IN_B");
        assertThat(ReadingCli.run(root, "logs", "-b", "0").out()).contains("IN_C").doesNotContain("IN_A");
        assertThat(ReadingCli.run(root, "logs", "-b", "-1").out()).contains("IN_B").doesNotContain("IN_C");
        assertThat(ReadingCli.run(root, "logs", "-b", "-2").out()).contains("IN_A").doesNotContain("IN_B");
        assertThat(ReadingCli.run(root, "logs", "-b", "1").out()).contains("IN_A").doesNotContain("IN_B");
        assertThat(ReadingCli.run(root, "logs", "-b", "2").out()).contains("IN_B").doesNotContain("IN_C");
        assertThat(ReadingCli.run(root, "logs", "-b", b.substring(0, 12)).out()).contains("IN_B").doesNotContain("IN_A");
        String all = ReadingCli.run(root, "logs", "-b", "all").out();
        assertThat(all.indexOf("IN_A")).isLessThan(all.indexOf("IN_B"));
        assertThat(all.indexOf("IN_B")).isLessThan(all.indexOf("IN_C"));
        assertThat(all).contains("-- boot " + a + " #1 normal --").contains("-- boot " + b + " #2 safe --");
        ReadingCli.Result boots = ReadingCli.run(root, "boots");
        assertThat(boots.out()).containsPattern("-2  " + a).containsPattern("-1  " + b).containsPattern(" 0  " + c)
                .contains("unclean");
        assertThat(ReadingCli.run(root, "boots", "-o", "json").out().lines()).hasSize(3);
        assertThat(ReadingCli.run(root, "logs", "-n", "1", "-b", "all", "-o", "raw").out().lines()).singleElement()
                .satisfies(l -> assertThat(l).contains("IN_C"));
    }

    @Test
    void badInputForEveryOptionIsOneLineOnStderrExitTwoAndNothingWritten() throws Exception {
        boot();
        log("kernel", "X");
        List<String[]> bad = List.of(
                new String[] {"logs", "-b", "-5"}, new String[] {"logs", "-b", "9"},
                new String[] {"logs", "-b", "ffff"}, new String[] {"logs", "-b", "../../etc"},
                new String[] {"logs", "--level", "LOUD"}, new String[] {"logs", "--component", "Bad Name"},
                new String[] {"logs", "--event", "a b"}, new String[] {"logs", "--category", "../x"},
                new String[] {"logs", "--grep", "(unclosed"}, new String[] {"logs", "--since", "the day before"},
                new String[] {"logs", "--until", "2025-13-40"}, new String[] {"logs", "--since", "now", "--until", "-1h"},
                new String[] {"logs", "-n", "-3"}, new String[] {"logs", "-n", "many"},
                new String[] {"logs", "-o", "xml"}, new String[] {"logs", "--nope"},
                new String[] {"boots", "-o", "csv"},
                new String[] {"status", "-b", "-7"}, new String[] {"status", "-b", "all"},
                new String[] {"status", "--plot", elsewhere.resolve("t.gif").toString()},
                new String[] {"status", "--plot", elsewhere.resolve("missing/t.svg").toString()},
                new String[] {"time-sync", "--utc", "2025-12-30T15:12:01"},
                new String[] {"time-sync", "--utc", "mono:5"});
        String before = tree(root);
        for (String[] args : bad) {
            ReadingCli.Result r = ReadingCli.run(root, args);
            assertThat(r.exit()).as(String.join(" ", args) + " -> " + r.err()).isEqualTo(2);
            assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.out()).as(String.join(" ", args)).isEmpty();
            assertThat(tree(root)).isEqualTo(before);
        }
        try (Stream<Path> s = Files.list(elsewhere)) {
            assertThat(s).isEmpty();
        }
    }

    static String tree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".lock"))
                    .map(p -> {
                        try {
                            return root.relativize(p) + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p);
                        } catch (Exception e) {
                            return p.toString();
                        }
                    }).sorted().reduce("", (x, y) -> x + y + "\n");
        }
    }

    @Test
    void statusSaysWhichMarkersWereReachedAndExitsZeroOnlyWhenReady() throws Exception {
        boot();
        log("bootloader", "RAYOS_BOOTLOADER_START");
        log("kernel", "RAYOS_KERNEL_START");
        log("--level", "WARN", "disk", "SLOW");
        ReadingCli.Result notReady = ReadingCli.run(root, "status");
        assertThat(notReady.exit()).isEqualTo(1);
        assertThat(notReady.out()).containsPattern("RAYOS_KERNEL_START +reached +\\+[0-9]+\\.[0-9]{3}s")
                .containsPattern("RAYOS_READY +no").contains("1 warning, 0 errors");
        log("presentation", "RAYOS_PRESENTATION:on");
        log("kernel", "RAYOS_READY", "mode=bicameral");
        log("--level", "ERROR", "kernel", "OOPS");
        ReadingCli.Result ready = ReadingCli.run(root, "status");
        assertThat(ready.exit()).as(ready.err()).isZero();
        assertThat(ready.out()).containsPattern("RAYOS_READY +reached").containsPattern("RAYOS_PRESENTATION:on +reached")
                .contains("1 warning, 1 error");
        assertThat(ReadingCli.run(root, "boots").out()).containsPattern(" running +[0-9]+\\.[0-9]{3}s");
    }

    @Test
    void thePlotIsAWellFormedSvgOrADecodablePngOfTheExpectedSize() throws Exception {
        boot();
        log("bootloader", "RAYOS_BOOTLOADER_START");
        log("kernel", "RAYOS_READY");
        log("--level", "WARN", "disk", "SLOW");
        Path svg = elsewhere.resolve("boot.svg");
        Path png = elsewhere.resolve("boot.png");
        assertThat(ReadingCli.run(root, "status", "--plot", svg.toString()).exit()).isZero();
        assertThat(ReadingCli.run(root, "status", "--plot", png.toString()).exit()).isZero();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getAttribute("width")).startsWith(String.valueOf(TimelinePlot.WIDTH));
        String text = doc.getDocumentElement().getTextContent();
        assertThat(text).contains("RAYOS_READY").contains("RAYOS_BOOTLOADER_START").contains("1 warning, 0 errors");
        var img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(TimelinePlot.WIDTH);
        assertThat(img.getHeight()).isGreaterThan(100);
        File[] leftovers = elsewhere.toFile().listFiles((d, n) -> n.startsWith("."));
        assertThat(leftovers).isEmpty();
    }
}
