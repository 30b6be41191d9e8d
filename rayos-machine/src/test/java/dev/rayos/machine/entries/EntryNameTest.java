package dev.rayos.machine.entries;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EntryNameTest {
    @Test
    void aNewCountedEntryHasAllItsTriesAndNoneDone() {
        EntryName n = EntryName.parse("rayos+3.conf").orElseThrow();
        assertThat(n).isEqualTo(new EntryName("rayos", 3, -1));
        assertThat(n.counted()).isTrue();
        assertThat(n.state()).isEqualTo("indeterminate");
        assertThat(n.id()).isEqualTo("rayos.conf");
        assertThat(n.file()).isEqualTo("rayos+3.conf");
        assertThat(n.loaderState(false).triesDone()).isZero();
    }

    @Test
    void anEntryCountingDownIsIndeterminateAndKeepsBothCounters() {
        EntryName n = EntryName.parse("rayos+2-1.conf").orElseThrow();
        assertThat(n.left()).isEqualTo(2);
        assertThat(n.done()).isEqualTo(1);
        assertThat(n.state()).isEqualTo("indeterminate");
        assertThat(n.file()).isEqualTo("rayos+2-1.conf");
    }

    @Test
    void anEntryWithNoTriesLeftIsBad() {
        EntryName n = EntryName.parse("rayos+0-3.conf").orElseThrow();
        assertThat(n.state()).isEqualTo("bad");
        assertThat(n.base()).isEqualTo("rayos");
        assertThat(n.loaderState(false).triesLeft()).isZero();
        assertThat(n.loaderState(false).triesDone()).isEqualTo(3);
    }

    @Test
    void aBlessedEntryIsGoodAndNotCounted() {
        EntryName n = EntryName.parse("rayos.conf").orElseThrow();
        assertThat(n.counted()).isFalse();
        assertThat(n.state()).isEqualTo("good");
        assertThat(n.file()).isEqualTo("rayos.conf");
        assertThat(n.loaderState(true).triesLeft()).isEqualTo(-1);
        assertThat(EntryName.counted("rayos-safe", 3).file()).isEqualTo("rayos-safe+3.conf");
    }

    @Test
    void namesThatAreNotEntriesAreNotRead() {
        for (String f : new String[] {"rayos", "rayos.txt", "+3.conf", "../rayos.conf", "a/rayos.conf", ".conf", "..conf",
                "rayos+12345.conf", "rayos\0.conf", "räyos.conf", ""}) {
            assertThat(EntryName.parse(f)).as(f).isEmpty();
        }
    }

    @Test
    void aPlusThatIsNoCounterLeavesTheEntryUncountedUnderItsWholeNameAsSystemdBootReadsIt() {
        for (String f : new String[] {"a+b.conf", "rayos+.conf", "rayos+3-.conf", "rayos+a.conf", "rayos+-1.conf",
                "rayos+3-1-2.conf"}) {
            EntryName n = EntryName.parse(f).orElseThrow(() -> new AssertionError(f + " not read"));
            assertThat(n.base()).as(f).isEqualTo(f.substring(0, f.length() - 5));
            assertThat(n.left()).as(f).isEqualTo(-1);
            assertThat(n.file()).isEqualTo(f);
        }
        assertThat(EntryName.counted("a+b", 3).file()).isEqualTo("a+b+3.conf");
        assertThat(EntryName.parse("a+b+3.conf")).contains(EntryName.counted("a+b", 3));
    }

    @Test
    void aCounterWrittenWithLeadingZerosIsNotTakenForAnotherFile() {
        // rayos+03.conf read as rayos+3.conf would make bless rename a file that is not there
        for (String f : new String[] {"rayos+03.conf", "rayos+3-01.conf", "rayos+00-3.conf"}) {
            EntryName.parse(f).ifPresent(n -> assertThat(n.file()).as(f).isEqualTo(f));
        }
    }

    @Property(tries = 3000)
    void hostileFileNamesNeverThrowAndOnlyValidNamesRoundTrip(@ForAll("hostile") String f) {
        Optional<EntryName> n = EntryName.parse(f);
        n.ifPresent(x -> {
            assertThat(x.file()).isEqualTo(f);
            assertThat(EntryName.parse(x.file())).contains(x);
            assertThat(x.file()).doesNotContain("/", "\0", "..");
            assertThat(x.state()).isIn("good", "bad", "indeterminate");
        });
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> base = Arbitraries.oneOf(Arbitraries.of("rayos", "rayos-safe", "a", "..", ".", "a/b", "x\0y", "ünï", "", "+", "a+b"),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("az09.+-/\0").ofMaxLength(12));
        Arbitrary<String> counter = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.integers().between(-5, 10_000_000).map(i -> "+" + i),
                Arbitraries.integers().between(-5, 10_000_000).flatMap(i -> Arbitraries.integers().between(-5, 10_000_000).map(j -> "+" + i + "-" + j)),
                Arbitraries.of("+99999999999999999999", "+0-99999999999999999999", "+", "+-", "+1-", "+01", "+1-0"));
        Arbitrary<String> suffix = Arbitraries.of(".conf", ".conf", ".CONF", "", ".conf/", ".conf\0");
        return Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(base, counter, suffix).as((b, c, s) -> b + c + s),
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().all().ofMaxLength(20).map(s -> s + ".conf"));
    }
}
