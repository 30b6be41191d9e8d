package dev.rayos.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.LineCodec;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an event becomes in the file at the edges of the builder: more fields than it remembers per
 * position, event names that take turns, the clock crossing a second and a day, a line filled to the
 * byte where the next field no longer fits, and a value that logs a line of its own while it is
 * being written.
 */
class LogSystemEventTest {
    static final long UTC_10H = LogSystemLifecycleTest.UTC_10H; // 2026-12-06T10:00:00Z
    /** What every line of these tests starts with, up to its event: {@code "… INFO kernel BIG"}. */
    static final String BIG_PREFIX = "2026-12-06T10:00:00.000000Z INFO kernel BIG";

    @TempDir
    Path root;

    LogSystem open(BootId boot, LogSystemLifecycleTest.SetClock clock, Policy policy) throws IOException {
        return LogSystem.builder(new RootLayout(root)).boot(boot).console(new ByteArrayOutputStream())
                .policy(policy).clock(clock).open();
    }

    List<String> lines(BootId boot) throws IOException {
        return Files.readAllLines(new RootLayout(root).logFile("boot", boot));
    }

    @Test
    void anEventWithMoreFieldsThanTheBuilderRemembersPerPositionKeepsEveryField() throws Exception {
        BootId boot = BootId.random();
        StringBuilder want = new StringBuilder(" INFO kernel WIDE");
        try (LogSystem sys = open(boot, new LogSystemLifecycleTest.SetClock(), Policy.DEFAULTS)) {
            for (int round = 0; round < 2; round++) {
                EventBuilder e = sys.logger("kernel").info("WIDE");
                for (int i = 0; i < 20; i++) {
                    e.kv("f" + i, "v" + i);
                }
                e.log();
            }
        }
        for (int i = 0; i < 20; i++) {
            want.append(" f").append(i).append("=v").append(i);
        }
        assertThat(lines(boot)).hasSize(2).allSatisfy(l -> assertThat(l).endsWith(want.toString()));
    }

    @Test
    void eventNamesThatTakeTurnsAreEachLoggedEveryTime() throws Exception {
        BootId boot = BootId.random();
        try (LogSystem sys = open(boot, new LogSystemLifecycleTest.SetClock(), Policy.DEFAULTS)) {
            Logger k = sys.logger("kernel");
            for (int i = 0; i < 3; i++) {
                k.info("OPEN").kv("i", i).log();
                k.info("CLOSE").kv("i", i).log();
            }
        }
        assertThat(lines(boot)).extracting(l -> l.substring(l.indexOf(' ') + 1)).containsExactly(
                "INFO kernel OPEN i=0", "INFO kernel CLOSE i=0", "INFO kernel OPEN i=1", "INFO kernel CLOSE i=1",
                "INFO kernel OPEN i=2", "INFO kernel CLOSE i=2");
    }

    /** The builder keeps each position's last constant pair and writes it in one piece from its third line on. */
    @Test
    void aPairRepeatedAtItsPositionIsWrittenAsAtFirstUntilItsKeyOrValueChanges() throws Exception {
        BootId boot = BootId.random();
        try (LogSystem sys = open(boot, new LogSystemLifecycleTest.SetClock(), Policy.DEFAULTS)) {
            Logger k = sys.logger("kernel");
            Logger keyboard = sys.logger("input.keyboard"); // redacted by the default policy
            for (int i = 0; i < 4; i++) {
                k.info("PAIR").kv("mode", "fast").kv("n", i).log();
            }
            k.info("PAIR").kv("mode", "slow").kv("n", 4).log();
            k.info("PAIR").kv("kind", "slow").kv("n", 5).log();
            keyboard.info("PAIR").kv("kind", "slow").kv("n", 6).log();
            k.info("PAIR").kv("kind", "slow").kv("n", 7).log();
            k.info("PAIR").kv("kind", "sl ow").kv("n", 8).log();
            k.info("PAIR").kv("n", 9).kv("kind", "slow").log();
        }
        assertThat(lines(boot)).extracting(l -> l.substring(l.indexOf(' ') + 1)).containsExactly(
                "INFO kernel PAIR mode=fast n=0", "INFO kernel PAIR mode=fast n=1", "INFO kernel PAIR mode=fast n=2",
                "INFO kernel PAIR mode=fast n=3", "INFO kernel PAIR mode=slow n=4", "INFO kernel PAIR kind=slow n=5",
                "INFO kernel PAIR kind=slow n=7", "INFO kernel PAIR kind=\"sl ow\" n=8", "INFO kernel PAIR n=9 kind=slow");
        assertThat(Files.readAllLines(new RootLayout(root).logFile("input", boot)))
                .singleElement().satisfies(l -> assertThat(l).endsWith(" INFO input.keyboard PAIR kind=[redacted] n=[redacted]"));
    }

    /** A kept pair is written whole only where the first, unkept one would have been; else it is cut the same way. */
    @Test
    void aKeptPairThatNoLongerFitsIsCutAsAtFirst() throws Exception {
        BootId boot = BootId.random();
        int max = LineCodec.MAX_LINE_BYTES;
        String value = "v".repeat(40);
        int afterA = max - BIG_PREFIX.length() - " a=".length();
        String roomy = "y".repeat(10);
        String tight = "y".repeat(afterA - 24 - 42); // leaves 42 bytes for " b=" and 40 more
        try (LogSystem sys = open(boot, new LogSystemLifecycleTest.SetClock(), Policy.DEFAULTS)) {
            Logger k = sys.logger("kernel");
            for (int i = 0; i < 3; i++) {
                k.info("BIG").kv("a", roomy).kv("b", value).log();
            }
            k.info("BIG").kv("a", tight).kv("b", value).log();
        }
        List<String> got = lines(boot);
        assertThat(got).hasSize(4);
        assertThat(got.get(2)).isEqualTo(BIG_PREFIX + " a=" + roomy + " b=" + value);
        assertThat(got.get(3)).isEqualTo(BIG_PREFIX + " a=" + tight + " b=" + value.substring(1) + " _truncated=true");
    }

    @Test
    void theSameEventFromAnotherLoggerOrLevelCarriesItsOwnHeadAndMarkerDuty() throws Exception {
        BootId boot = BootId.random();
        List<String> heard = new java.util.ArrayList<>();
        try (LogSystem sys = LogSystem.builder(new RootLayout(root)).boot(boot).console(new ByteArrayOutputStream())
                .policy(Policy.DEFAULTS).clock(new LogSystemLifecycleTest.SetClock())
                .onMarker((b, m, mono, utc) -> heard.add(m)).open()) {
            Logger k = sys.logger("kernel");
            Logger net = sys.logger("net");
            k.info("OPEN").log();
            k.warn("OPEN").log();
            net.warn("OPEN").log();
            k.info("RAYOS_READY").log();
            k.info("OPEN").log();
            k.info("RAYOS_READY").log();
        }
        assertThat(lines(boot)).extracting(l -> l.substring(l.indexOf(' ') + 1)).containsExactly(
                "INFO kernel OPEN", "WARN kernel OPEN", "WARN net OPEN", "INFO kernel RAYOS_READY", "INFO kernel OPEN",
                "INFO kernel RAYOS_READY");
        assertThat(heard).containsExactly("RAYOS_READY", "RAYOS_READY");
    }

    @Test
    void eachLineCarriesItsOwnSecondAndMicrosecondAsTheClockCrossesASecondAndADay() throws Exception {
        BootId boot = BootId.random();
        LogSystemLifecycleTest.SetClock clock = new LogSystemLifecycleTest.SetClock();
        clock.utc = UTC_10H + 123_456_789;
        try (LogSystem sys = open(boot, clock, Policy.DEFAULTS)) {
            Logger k = sys.logger("kernel");
            k.info("TICK").log();
            clock.utc += 1_000_000_000L;
            k.info("TICK").log();
            clock.utc += 86_400_000_000_000L - 123_000_000;
            k.info("TICK").log();
            clock.utc += 999_999;
            k.info("TICK").log();
        }
        assertThat(lines(boot)).containsExactly(
                "2026-12-06T10:00:00.123456Z INFO kernel TICK",
                "2026-12-06T10:00:01.123456Z INFO kernel TICK",
                "2026-12-07T10:00:01.000456Z INFO kernel TICK",
                "2026-12-07T10:00:01.001456Z INFO kernel TICK");
    }

    /**
     * A field is added only while its key, a value and the cut's {@code " _truncated=true"} still
     * fit: with {@code n} bytes left, a key of one character needs 49. The lines are filled with a
     * first value to leave exactly that, one byte less, and a value one byte longer than fits.
     */
    @Test
    void aLineFilledToTheByteKeepsTheNextFieldOnlyWhileItFitsAndSaysWhereItWasCut() throws Exception {
        BootId boot = BootId.random();
        int max = LineCodec.MAX_LINE_BYTES;
        int afterKey = max - BIG_PREFIX.length() - " a=".length(); // bytes left for a's value
        String leaves49 = "y".repeat(afterKey - 49);
        String leaves48 = "y".repeat(afterKey - 48);
        String oneTooLong = "y".repeat(afterKey - 24 + 1); // 24: the room kept for the cut's note
        try (LogSystem sys = open(boot, new LogSystemLifecycleTest.SetClock(), Policy.DEFAULTS)) {
            Logger k = sys.logger("kernel");
            k.info("BIG").kv("a", leaves49).kv("k", 1).log();
            k.info("BIG").kv("a", leaves48).kv("k", 1).kv("b", "after").log();
            k.info("BIG").kv("a", oneTooLong).kv("n", 7).log();
        }
        List<String> got = lines(boot);
        assertThat(got).hasSize(3);
        assertThat(got.get(0)).isEqualTo(BIG_PREFIX + " a=" + leaves49 + " k=1");
        assertThat(got.get(1)).isEqualTo(BIG_PREFIX + " a=" + leaves48 + " _truncated=true");
        assertThat(got.get(2)).isEqualTo(BIG_PREFIX + " a=" + oneTooLong.substring(1) + " _truncated=true");
        assertThat(got).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(max));
    }

    @Test
    void aValueThatLogsALineWhileItIsWrittenLeavesBothLinesWhole() throws Exception {
        BootId boot = BootId.random();
        try (LogSystem sys = open(boot, new LogSystemLifecycleTest.SetClock(), Policy.DEFAULTS)) {
            Logger k = sys.logger("kernel");
            // A lazily rendered value (a component's state) that logs while it is asked for its text.
            CharSequence chatty = new CharSequence() {
                final String text = "queue depth 3";
                boolean told;

                @Override
                public int length() {
                    if (!told) {
                        told = true;
                        k.info("RENDERING").kv("what", "queue").kv("n", 1).log();
                    }
                    return text.length();
                }

                @Override
                public char charAt(int index) {
                    return text.charAt(index);
                }

                @Override
                public CharSequence subSequence(int start, int end) {
                    return text.subSequence(start, end);
                }

                @Override
                public String toString() {
                    return text;
                }
            };
            k.info("STATE").kv("before", "x").kv("state", chatty).kv("after", 2).log();
        }
        assertThat(lines(boot)).containsExactly(
                "2026-12-06T10:00:00.000000Z INFO kernel RENDERING what=queue n=1",
                "2026-12-06T10:00:00.000000Z INFO kernel STATE before=x state=\"queue depth 3\" after=2");
    }

    @Test
    void traceLinesAreWrittenWhenThePolicyLowersTheLevelToTraceAndCountedAsLogged() throws Exception {
        BootId boot = BootId.random();
        try (LogSystem sys = open(boot, new LogSystemLifecycleTest.SetClock(), Policy.parse("log.min_level = trace\n"))) {
            long before = sys.linesLogged();
            sys.logger("kernel").trace("STEP").kv("i", 1).log();
            sys.logger("kernel").debug("STEP").kv("i", 2).log();
            sys.logger("kernel").notice("STEP").kv("i", 3).log();
            assertThat(sys.linesLogged()).isEqualTo(before + 3);
        }
        assertThat(lines(boot)).containsExactly(
                "2026-12-06T10:00:00.000000Z TRACE kernel STEP i=1",
                "2026-12-06T10:00:00.000000Z DEBUG kernel STEP i=2",
                "2026-12-06T10:00:00.000000Z NOTICE kernel STEP i=3");
    }
}
