package dev.rayos.log.store;

import dev.rayos.log.root.LogFileName;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link LogFileName#parse} over hostile names: a log file's name that prints back the same, or none, never an error. */
class LogFileNamePropertiesTest {
    private static final String BOOT = "0123456789abcdef".repeat(2);

    @Property(tries = 3000)
    void anyNameIsALogFileNameThatPrintsBackOrNone(@ForAll("names") String name) {
        LogFileName.parse(name).ifPresent(n -> {
            assertThat(n.fileName()).as("one name per file: no .0.log, no leading zeros").isEqualTo(name);
            assertThat(LogFileName.parse(n.fileName())).contains(n);
        });
    }

    @Property(tries = 300)
    void partsOfABootAreNamedAsTheStoreReadsThem(@ForAll("numbers") int n) {
        LogFileName part = new LogFileName(BOOT, 0).part(n);
        assertThat(part.fileName()).isEqualTo(BOOT + "." + n + ".log");
        assertThat(LogFileName.parse(part.fileName())).contains(part);
    }

    @Provide
    Arbitrary<Integer> numbers() {
        return Arbitraries.integers().between(1, LogFileName.MAX_NUMBER);
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> valid = Arbitraries.integers().between(0, LogFileName.MAX_NUMBER)
                .map(n -> n == 0 ? BOOT + ".log" : BOOT + "." + n + ".log");
        Arbitrary<String> mangled = valid.flatMap(v -> Arbitraries.integers().between(0, v.length() - 1)
                .flatMap(i -> Arbitraries.chars().map(c -> v.substring(0, i) + c + v.substring(i + 1))));
        return Arbitraries.oneOf(valid, mangled, Arbitraries.strings().ofMaxLength(80),
                Arbitraries.just(BOOT + ".0.log"), Arbitraries.just(BOOT + ".007.log"),
                Arbitraries.just(BOOT + ".1234567890.log"), Arbitraries.just(BOOT.toUpperCase() + ".log"),
                Arbitraries.just(BOOT + ".-1.log"), Arbitraries.just(BOOT + ".log.log"));
    }
}
