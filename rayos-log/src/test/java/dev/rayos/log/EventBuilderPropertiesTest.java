package dev.rayos.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A thread's builder remembers what its call sites repeat (checked names, each position's " key="
 * and constant pair, the head " LEVEL component EVENT"); whatever the calls, each line it builds is
 * the line a builder that remembers nothing builds from the same calls. Calls come from small pools,
 * so that names and pairs repeat, move between positions and change under a kept one; values include
 * ones that must be quoted and ones that bring the line to within a pair of its end.
 */
class EventBuilderPropertiesTest {
    private static Path root;
    private static LogSystem sys;
    private static final String[] KEYS = {"k", "k2", "mode", "n", "a_long_key.name-1"};
    private static final String LONG = "x".repeat(3000);
    private static final String[] VALUES = {"v", "v2", "fast", "two words", "", "é", "RAYOS_X", LONG, LONG + "y"};
    private static final String[] EVENTS = {"EVENT", "OPEN", "RAYOS_READY", "CLOSE"};
    private static final String[] COMPONENTS = {"kernel", "net", "input.keyboard"};

    @BeforeContainer
    static void open() throws IOException {
        root = Files.createTempDirectory("event-builder-props");
        // Never mounted: lines stay in the ring (overwritten when it is full), no file is written.
        sys = LogSystem.builder(new RootLayout(root)).boot(BootId.random()).policy(Policy.DEFAULTS)
                .console(new ByteArrayOutputStream()).mounted(false).open();
    }

    @AfterContainer
    static void close() throws IOException {
        sys.close();
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One field: a key and a string value, or a number when {@code value} is null. */
    record Field(String key, String value, long number) {}

    record Call(String component, Level level, String event, List<Field> fields, boolean logged) {}

    /** A few call sites, visited in any order: each site's constants repeat, and sites write over each other's bytes. */
    @Provide
    Arbitrary<List<Call>> calls() {
        // Fillers bring a line to within a few dozen bytes of its end, where a pair fits or is cut.
        Arbitrary<String> filler = Arbitraries.integers().between(65_300, 65_500).map("y"::repeat);
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("v", "fast"), Arbitraries.of(VALUES), filler);
        Arbitrary<Field> field = Combinators.combine(Arbitraries.of(KEYS), value.injectNull(0.25),
                Arbitraries.longs().between(-1, 2_000_000_000_000L)).as(Field::new);
        Arbitrary<List<Field>> fields = Arbitraries.oneOf(field.list().ofMaxSize(3), field.list().ofMaxSize(20));
        Arbitrary<Call> call = Combinators.combine(Arbitraries.of(COMPONENTS),
                Arbitraries.of(Level.INFO, Level.WARN, Level.DEBUG), Arbitraries.of(EVENTS), fields,
                Arbitraries.of(true, true, true, false)).as(Call::new);
        return Combinators.combine(call.list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(16))
                .as((sites, visits) -> visits.stream().map(v -> sites.get(v % sites.size())).toList());
    }

    @Property(tries = 300)
    void aReusedBuilderBuildsEachLineAsABuilderThatRemembersNothing(@ForAll("calls") List<Call> calls) {
        EventBuilder reused = new EventBuilder(sys);
        List<String> got = new ArrayList<>();
        List<String> want = new ArrayList<>();
        for (Call c : calls) {
            // Each call twice in a row, so that kept pairs are written from what was kept.
            for (int twice = 0; twice < 2; twice++) {
                got.add(build(reused, c));
                want.add(build(new EventBuilder(sys), c));
                if (c.logged()) {
                    reused.log(); // the ring frames the line in the builder's array around it
                } else {
                    reused.active = false; // abandoned without log(): the next event overwrites it
                }
            }
        }
        assertThat(got).isEqualTo(want);
    }

    /**
     * The narrow case the pools above rarely reach: a pair kept at a position, then the same pair
     * after a field that leaves it anywhere from no room to plenty; the kept pair is written whole
     * exactly where a fresh builder writes it whole, and cut where it cuts it.
     */
    @Property(tries = 300)
    void aKeptPairNearTheLinesEndIsWrittenOrCutAsAFreshBuilderDoes(@ForAll @IntRange(max = 130) int slack,
            @ForAll("keys") String key, @ForAll("bareValues") String value, @ForAll boolean logged) {
        int afterA = LineCodec.MAX_LINE_BYTES - "2026-12-06T10:00:00.000000Z INFO kernel BIG a=".length();
        Call roomy = new Call("kernel", Level.INFO, "BIG", List.of(new Field("a", "y", 0), new Field(key, value, 0)), logged);
        Call tight = new Call("kernel", Level.INFO, "BIG",
                List.of(new Field("a", "y".repeat(afterA - slack), 0), new Field(key, value, 0)), logged);
        EventBuilder reused = new EventBuilder(sys);
        for (Call c : List.of(roomy, roomy, tight)) {
            assertThat(build(reused, c)).isEqualTo(build(new EventBuilder(sys), c));
            if (c.logged()) {
                reused.log();
            } else {
                reused.active = false;
            }
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(KEYS);
    }

    @Provide
    Arbitrary<String> bareValues() {
        return Arbitraries.strings().withChars("abz09._-").ofMinLength(1).ofMaxLength(90);
    }

    private static String build(EventBuilder b, Call c) {
        Logger logger = sys.logger(c.component());
        EventBuilder e = b.start(logger, c.level(), c.event(), true, FIXED);
        for (Field f : c.fields()) {
            if (f.value() == null) {
                e.kv(f.key(), f.number());
            } else {
                e.kv(f.key(), f.value());
            }
        }
        return e.buf.toString();
    }

    private static final dev.rayos.log.time.LogClock FIXED = new LogSystemLifecycleTest.SetClock();
}
