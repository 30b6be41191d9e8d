package dev.rayos.log.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.line.Timestamp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The scanner's byte-level reading of a line (its fast path and its whole loop alike) agrees with
 * the line grammar's parser: on any run of lines, hostile ones among them, both paths keep the same
 * lines with the same times and flags, and a line the parser reads is kept exactly when its level is
 * in the query's range, at the parser's time, never flagged corrupt.
 */
class ScannerAgreesWithParserPropertiesTest {
    private static final Level[] LEVELS = Level.values();

    /** Lines as the store writes them, from any time, level, component, event and fields the grammar allows. */
    @Provide
    Arbitrary<String> written() {
        Arbitrary<Timestamp> ts = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 9_214_646_399_999_999_999L).map(Timestamp::utc),
                Arbitraries.longs().between(0, Long.MAX_VALUE / 2).map(Timestamp::mono));
        Arbitrary<String> word = Arbitraries.strings().withChars("abcxyz09._-").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> event = Arbitraries.strings().withChars("ABCXYZ09_").ofMinLength(1).ofMaxLength(12);
        Arbitrary<List<LogLine.Field>> fields = Combinators.combine(word, Arbitraries.strings().all().ofMaxLength(20))
                .as((k, v) -> {
                    try {
                        return new LogLine.Field(k, v);
                    } catch (IllegalArgumentException e) {
                        return new LogLine.Field("k", "v");
                    }
                }).list().ofMaxSize(3);
        return Combinators.combine(ts, Arbitraries.of(LEVELS), word, event, fields).as((t, l, c, e, f) -> {
            try {
                return LineCodec.format(new LogLine(t, l, c, e, f));
            } catch (IllegalArgumentException bad) {
                return LineCodec.format(new LogLine(t, l, "c", "E", List.of()));
            }
        });
    }

    /** Written lines, and those lines cut, with a byte changed or spaces doubled, and any string at all. */
    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> changed = written().flatMap(s -> Arbitraries.integers().between(0, s.length() - 1)
                .flatMap(i -> Arbitraries.chars().with(" \t\r\u0000\u00ffZT:.-0123456789EWIDNCAmo").map(c ->
                        s.substring(0, i) + c + s.substring(i + 1))));
        Arbitrary<String> cut = written().flatMap(s -> Arbitraries.integers().between(0, s.length()).map(i -> s.substring(0, i)));
        Arbitrary<String> doubled = written().map(s -> s.replaceFirst(" ", "  "));
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(60);
        Arbitrary<String> line = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, written()), net.jqwik.api.Tuple.of(2, changed), net.jqwik.api.Tuple.of(1, cut),
                net.jqwik.api.Tuple.of(1, doubled), net.jqwik.api.Tuple.of(1, any));
        return line.map(s -> s.replace('\n', ' ')).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 1500)
    void bothPathsKeepTheSameLinesAndAParsedLineIsKeptByItsLevelAtItsTime(@ForAll("lines") List<String> lines,
            @ForAll("levelIndex") int min, @ForAll("levelIndex") int max, @ForAll boolean lastHasLineFeed) {
        int lo = Math.min(min, max);
        int hi = Math.max(min, max);
        LogQuery q = new LogQuery(LEVELS[lo], null, null, null, null, null, null, LEVELS[hi], null);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            starts.add(all.size());
            all.writeBytes(lines.get(i).getBytes(StandardCharsets.UTF_8));
            if (i < lines.size() - 1 || lastHasLineFeed) {
                all.write('\n');
            }
        }
        byte[] b = all.toByteArray();
        Matches fast = scan(q, b, true);
        Matches whole = scan(q, b, false);
        assertThat(describe(fast)).isEqualTo(describe(whole));

        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i);
            LogLine parsed;
            try {
                parsed = LineCodec.parse(s);
            } catch (LineParseException | RuntimeException e) {
                continue; // the scanner does not judge the whole grammar: the formatters do
            }
            boolean partial = i == lines.size() - 1 && !lastHasLineFeed;
            int at = indexOfOffset(fast, starts.get(i));
            int lvl = parsed.level().ordinal();
            if (partial) {
                assertThat(at).as("a last line without its line feed is shown, flagged partial: " + s).isGreaterThanOrEqualTo(0);
                assertThat(fast.flags(at) & Matches.PARTIAL).isNotZero();
                continue;
            }
            if (lvl < lo || lvl > hi) {
                assertThat(at).as("left out by its level: " + s).isEqualTo(-1);
                continue;
            }
            assertThat(at).as("kept by its level: " + s).isGreaterThanOrEqualTo(0);
            assertThat(fast.length(at)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
            assertThat(fast.flags(at) & Matches.CORRUPT).as("not corrupt: " + s).isZero();
            assertThat(fast.key(at)).as("placed at the parser's time: " + s).isEqualTo(parsed.ts().nanos());
            assertThat(fast.flags(at) & Matches.MONO).isEqualTo(parsed.ts().mono() ? Matches.MONO : 0);
        }
    }

    @Provide
    Arbitrary<Integer> levelIndex() {
        return Arbitraries.integers().between(0, LEVELS.length - 1);
    }

    private static Matches scan(LogQuery q, byte[] b, boolean fastPath) {
        Matches m = new Matches("boot", Path.of("x.log"), 16, 4);
        new LineScanner(q, null, fastPath).scan(b, 0, b.length, b.length, 0, true, true, m);
        return m;
    }

    private static int indexOfOffset(Matches m, long offset) {
        for (int i = 0; i < m.count(); i++) {
            if (m.offset(i) == offset) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> describe(Matches m) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < m.count(); i++) {
            out.add(m.offset(i) + " " + m.key(i) + " " + m.flags(i) + " "
                    + Arrays.toString(Arrays.copyOfRange(m.data(), m.start(i), m.start(i) + m.length(i))));
        }
        return out;
    }
}
