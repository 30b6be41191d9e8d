package dev.rayos.slf4j;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.slf4j.helpers.MessageFormatter;

/**
 * What an SLF4J caller hands the provider: {@code {}} formatting is SLF4J's own (any pattern, any
 * arguments, with or without an array); any logger name and any key give a valid component and key.
 */
class MessageTextPropertiesTest {
    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars('{', '}', '\\', 'a', ' ', 'é').ofMaxLength(24);
    }

    @Provide
    Arbitrary<Object[]> args() {
        Arbitrary<Object> one = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(5).map(x -> (Object) x),
                Arbitraries.integers().map(x -> (Object) x), Arbitraries.longs().map(x -> (Object) x),
                Arbitraries.of(true, 'c', (short) 7, (byte) -3, 2.5d).map(x -> (Object) x),
                Arbitraries.just((Object) new int[] {1, 2}), Arbitraries.just((Object) new String[] {"x", null}),
                Arbitraries.just(null));
        return one.list().ofMaxSize(3).map(l -> l.toArray());
    }

    @Property(tries = 3000)
    void formattingIsSlf4jsMessageFormatter(@ForAll("patterns") String pattern, @ForAll("args") Object[] args) {
        String slf4j = MessageFormatter.arrayFormat(pattern, args).getMessage();
        StringBuilder sb = new StringBuilder();
        MessageText.format(sb, pattern, args);
        assertThat(sb.toString()).isEqualTo(slf4j);
        if (args.length <= 2) {
            StringBuilder apart = new StringBuilder();
            MessageText.format(apart, pattern, args.length > 0 ? args[0] : null, args.length > 1 ? args[1] : null, args.length);
            assertThat(apart.toString()).as("one or two arguments given apart").isEqualTo(slf4j);
        }
    }

    @Property(tries = 2000)
    void anyLoggerNameIsAValidComponentAndAnyKeyAValidKey(@ForAll String name, @ForAll String key) {
        String c = RayosSlf4j.component(name, java.util.Map.of("com.example.billing", "billing"));
        assertThat(dev.rayos.log.line.LineCodec.isComponent(c)).as(c).isTrue();
        assertThat(RayosSlf4j.component("com.example.billing." + name, java.util.Map.of("com.example.billing", "billing")))
                .isEqualTo("billing");
        String k = RayosSlf4jLogger.key(key);
        assertThat(dev.rayos.log.line.LineCodec.isKey(k)).as(k).isTrue();
        assertThat(k).isNotIn("msg", "stack", "marker");
    }
}
