package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LogAndCatCommandsTest {
    @TempDir
    Path root;

    private List<LogLine> bootLines(BootId boot) throws Exception {
        List<LogLine> out = new ArrayList<>();
        for (String l : Files.readAllLines(new RootLayout(root).logFile("boot", boot))) {
            out.add(LineCodec.parse(l));
        }
        return out;
    }

    @Test
    void logStartsABootWhenNoneRunsAndWritesTheEventIntoIt() throws Exception {
        Files.createDirectories(root.resolve("etc/rayos"));
        Files.writeString(root.resolve("etc/rayos/policy.conf"), "console.device = dev/ttyS0\n");
        Cli.Result r = Cli.run("--root", root.toString(), "log", "kernel", "RAYOS_READY", "mode=bicameral",
                "note=two words and \"quotes\"");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        BootId boot = new Boots(new RootLayout(root), LogClock.system()).current().orElseThrow();
        List<LogLine> lines = bootLines(boot);
        assertThat(lines.get(0).event()).isEqualTo("BOOT_START"); // an implicit boot starts like any other
        lines = lines.subList(1, lines.size());
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.event()).isEqualTo("RAYOS_READY");
            assertThat(l.get("mode")).isEqualTo("bicameral");
            assertThat(l.get("note")).isEqualTo("two words and \"quotes\"");
        });
        // The serial console of a machine in a directory is a file under it.
        assertThat(Files.readString(root.resolve("dev/ttyS0"))).contains("RAYOS_READY mode=bicameral");
    }

    @Test
    void bootThenLogThenShutdownLeaveOneCleanBootWithItsLines() throws Exception {
        Cli.Result b = Cli.run("--root", root.toString(), "boot", "--mode", "safe");
        assertThat(b.exit()).isZero();
        BootId boot = BootId.parse(b.out().trim());
        assertThat(Cli.run("--root", root.toString(), "log", "--level", "warning", "disk", "SMART", "dev=/dev/sda").exit())
                .isZero();
        assertThat(Cli.run("--root", root.toString(), "shutdown").exit()).isZero();
        Boots boots = new Boots(new RootLayout(root), LogClock.system());
        BootRecord rec = boots.read(boot);
        assertThat(rec.end()).isEqualTo(EndState.CLEAN);
        assertThat(rec.mode().id()).isEqualTo("safe");
        assertThat(bootLines(boot)).extracting(LogLine::event).containsExactly("BOOT_START", "SMART", "SHUTDOWN");
        assertThat(bootLines(boot).get(1).level().name()).isEqualTo("WARN");
        // A second shutdown is a check that does not hold.
        Cli.Result again = Cli.run("--root", root.toString(), "shutdown");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).startsWith("rayos: boot " + boot + " already ended");
    }

    @Test
    void aLineAfterShutdownStartsANewBootSayingSoRatherThanJoiningTheEndedOne() throws Exception {
        BootId ended = BootId.parse(Cli.run("--root", root.toString(), "boot").out().trim());
        Cli.run("--root", root.toString(), "shutdown");

        Cli.Result late = Cli.run("--root", root.toString(), "log", "app", "LATE");

        assertThat(late.exit()).isZero();
        assertThat(late.err()).isEqualTo("rayos: boot " + ended + " was shut down: starting a new boot\n");
        assertThat(bootLines(ended)).extracting(LogLine::event).containsExactly("BOOT_START", "SHUTDOWN");
        Boots boots = new Boots(new RootLayout(root), LogClock.system());
        BootId now = boots.current().orElseThrow();
        assertThat(now).isNotEqualTo(ended);
        assertThat(bootLines(now)).extracting(LogLine::event).containsExactly("BOOT_START", "LATE");
        assertThat(boots.read(ended).end()).isEqualTo(EndState.CLEAN);
    }

    @Test
    void aNewBootMarksABootThatNeverEndedAsUnclean() throws Exception {
        BootId first = BootId.parse(Cli.run("--root", root.toString(), "boot").out().trim());
        BootId second = BootId.parse(Cli.run("--root", root.toString(), "boot").out().trim());
        Boots boots = new Boots(new RootLayout(root), LogClock.system());
        assertThat(boots.read(first).end()).isEqualTo(EndState.UNCLEAN);
        assertThat(boots.read(second).end()).isEqualTo(EndState.RUNNING);
        assertThat(boots.read(second).seq()).isEqualTo(boots.read(first).seq() + 1);
        assertThat(boots.current()).contains(second);
    }

    static Stream<List<String>> badInput() {
        return Stream.of(
                List.of("log", "--level", "LOUD", "kernel", "E"),
                List.of("log", "Kernel", "E"),
                List.of("log", "kernel", "E", "novalue"),
                List.of("log", "kernel", "E", "Key=1"),
                List.of("log", "kernel", "TWO WORDS"),
                List.of("log", "kernel", "E=F"),
                List.of("log", "kernel"),
                List.of("log", "--levle", "INFO", "kernel", "E"),
                List.of("boot", "--mode", "weird"),
                List.of("cat", "--event", "bad event", "kernel"),
                List.of("cat", "--level", "x", "kernel"),
                List.of("cat", "../etc"),
                List.of("nosuchcommand"));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badInputIsOneLineOnStderrExitTwoAndNothingWritten(List<String> args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(args);
        Cli.Result r = Cli.run(all.toArray(String[]::new));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().satisfies(l -> assertThat(l).startsWith("rayos: "));
        assertThat(r.out()).isEmpty();
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s).as("files under the root").isEmpty();
        }
    }

    @Test
    void catStreamsFarMoreThanItsHeapWithoutLosingALine() throws Exception {
        Files.createDirectories(root.resolve("etc/rayos"));
        Files.writeString(root.resolve("etc/rayos/policy.conf"),
                "retention.max_files = 1000\nconsole.device = /dev/null\n");
        long lines = 1_500_000; // ~150 MB of input through a 48 MB heap
        java.io.InputStream generated = new java.io.InputStream() {
            private final byte[] line = new byte[100];
            private long n;
            private int at = line.length;

            @Override
            public int read() {
                if (at == line.length) {
                    if (n == lines) {
                        return -1;
                    }
                    String head = String.format("line %09d ", n++);
                    java.util.Arrays.fill(line, (byte) 'x');
                    System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, line, 0, head.length());
                    line[99] = '\n';
                    at = 0;
                }
                return line[at++] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int k = 0;
                while (k < len) {
                    int c = read();
                    if (c < 0) {
                        return k == 0 ? -1 : k;
                    }
                    b[off + k++] = (byte) c;
                }
                return k;
            }
        };
        Cli.Result r = Cli.process(List.of("-Xmx48m"), generated, "--root", root.toString(), "cat", "bulk");
        assertThat(r.exit()).as(r.err()).isZero();
        BootId boot = new Boots(new RootLayout(root), LogClock.system()).current().orElseThrow();
        long count = 0;
        long last = -1;
        for (dev.rayos.log.root.LogFiles.Segment s : dev.rayos.log.root.LogFiles.segments(
                new RootLayout(root).categoryDir("boot")).stream()
                .sorted(java.util.Comparator.comparing(dev.rayos.log.root.LogFiles.Segment::order)).toList()) {
            try (var in = Files.lines(s.path())) {
                for (String l : (Iterable<String>) in::iterator) {
                    if (LineCodec.parse(l).event().equals("BOOT_START")) {
                        continue;
                    }
                    String msg = LineCodec.parse(l).get("msg");
                    long n = Long.parseLong(msg.substring(5, 14));
                    assertThat(n).isEqualTo(last + 1);
                    last = n;
                    count++;
                }
            }
        }
        assertThat(count).isEqualTo(lines);
    }

    @Test
    void catLogsEveryLineOfStdinWithItsTextInMsg() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write("first line\r\n".getBytes(StandardCharsets.UTF_8));
        in.write("caf\u00e9 \"quoted\" RAYOS_READY\n".getBytes(StandardCharsets.UTF_8));
        in.write(new byte[] {'b', 'a', 'd', (byte) 0xC3, '\n'}); // invalid UTF-8
        in.write("\n".getBytes(StandardCharsets.UTF_8)); // an empty line is an event too
        in.write("x".repeat(40_000).getBytes(StandardCharsets.UTF_8));
        in.write("\nlast line without a line feed".getBytes(StandardCharsets.UTF_8));
        Cli.Result r = Cli.process(in.toByteArray(), "--root", root.toString(), "cat", "app", "--event", "OUT",
                "--level", "notice");
        assertThat(r.exit()).as(r.err()).isZero();
        BootId boot = new Boots(new RootLayout(root), LogClock.system()).current().orElseThrow();
        List<LogLine> lines = bootLines(boot);
        lines = lines.subList(1, lines.size()); // after the implicit boot's BOOT_START
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.event()).isEqualTo("OUT");
            assertThat(l.level().name()).isEqualTo("NOTICE");
        });
        assertThat(lines).extracting(l -> l.get("msg")).startsWith("first line", "caf\u00e9 \"quoted\" RAYOS_READY",
                "bad\ufffd", "");
        List<LogLine> parts = lines.subList(4, lines.size() - 1);
        assertThat(parts).extracting(l -> l.get("part")).containsExactly("1", "2", "3");
        assertThat(String.join("", parts.stream().map(l -> l.get("msg")).toList())).isEqualTo("x".repeat(40_000));
        assertThat(lines.get(lines.size() - 1).get("msg")).isEqualTo("last line without a line feed");
        // The marker-like text stayed a value: the raw line does not carry RAYOS_READY.
        assertThat(Files.readString(new RootLayout(root).logFile("boot", boot))).doesNotContain("RAYOS_READY");
    }
}
