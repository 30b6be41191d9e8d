package dev.rayos.log.line;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Outside names (a syslog APP-NAME, an SLF4J logger, an SD-PARAM) as the bridges make them into
 * components and keys (docs/bridges.md): lower case, [a-z0-9_.-] kept, others replaced, a letter
 * first, at most 64 characters; and always a name the line grammar accepts.
 */
class NamesTest {

    @Test
    void aNameThatIsAlreadyAComponentOrKeyIsKeptAsItIs() {
        assertThat(Names.component("sshd", "syslog")).isEqualTo("sshd");
        assertThat(Names.component("a0_.-z9", "syslog")).isEqualTo("a0_.-z9");
        assertThat(Names.key("exit_code")).isEqualTo("exit_code");
        assertThat(Names.key("_private.k-9")).isEqualTo("_private.k-9");
    }

    @Test
    void noNameGivesTheFallbackComponentAndTheKeyUnderscore() {
        assertThat(Names.component(null, "syslog")).isEqualTo("syslog");
        assertThat(Names.component("", "slf4j")).isEqualTo("slf4j");
        assertThat(Names.key(null)).isEqualTo("_");
        assertThat(Names.key("")).isEqualTo("_");
    }

    /** The characters either side of each kept range are replaced; the ranges' own ends are kept. */
    @ParameterizedTest(name = "component of \"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "CRON           | cron",
            "a/09:          | a-09-",
            "a`az{          | a-az-",
            "a.b_c-d        | a.b_c-d",
            "a b!c          | a-b-c",
            "1abc           | app-1abc",
            "_abc           | app-_abc",
            "-x             | app--x",
            "`x             | app--x",
            "{x             | app--x",
            "Zed            | zed",
            "ex@32473       | ex-32473",
    })
    void componentsAreLowerCaseWithEveryOtherCharacterADashAndALetterFirst(String raw, String want) {
        assertThat(Names.component(raw, "syslog")).isEqualTo(want);
        assertThat(LineCodec.isComponent(want)).isTrue();
    }

    @ParameterizedTest(name = "key of \"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "Exit Code      | exit_code",
            "a/09:          | a_09_",
            "a`az{          | a_az_",
            "ex@32473.param | ex_32473.param",
            "9lives         | _9lives",
            "-x             | _-x",
            ".x             | _.x",
            "`x             | _x",
            "{x             | _x",
            "Zed            | zed",
            "z              | z",
    })
    void keysAreLowerCaseWithEveryOtherCharacterAnUnderscoreAndALetterOrUnderscoreFirst(String raw, String want) {
        assertThat(Names.key(raw)).isEqualTo(want);
        assertThat(LineCodec.isKey(want)).isTrue();
    }

    @Test
    void longNamesAreCutTo64CharactersEvenAfterAPrefixIsAdded() {
        String letters = "abcdefgh".repeat(10); // 80
        assertThat(Names.component(letters.toUpperCase(), "x")).isEqualTo(letters.substring(0, 64));
        assertThat(Names.component("9" + letters, "x")).isEqualTo(("app-9" + letters).substring(0, 64));
        assertThat(Names.key(letters.toUpperCase())).isEqualTo(letters.substring(0, 64));
        assertThat(Names.key("9" + letters)).isEqualTo(("_9" + letters).substring(0, 64));
        // Exactly 64 replaced characters: nothing cut, nothing added.
        String sixtyFour = "a" + "!".repeat(63);
        assertThat(Names.component(sixtyFour, "x")).isEqualTo("a" + "-".repeat(63));
        assertThat(Names.key(sixtyFour)).isEqualTo("a" + "_".repeat(63));
        // 65 characters that are each already fine are still one too many.
        assertThat(Names.component("a".repeat(65), "x")).isEqualTo("a".repeat(64));
        assertThat(Names.key("a".repeat(65))).isEqualTo("a".repeat(64));
    }

    @Property(tries = 500)
    void whateverComesInTheResultIsAComponentAndAKeyTheGrammarAccepts(@ForAll("outsideNames") String raw) {
        String c = Names.component(raw, "syslog");
        String k = Names.key(raw);
        assertThat(LineCodec.isComponent(c)).as("component %s of %s", c, raw).isTrue();
        assertThat(LineCodec.isKey(k)).as("key %s of %s", k, raw).isTrue();
        // Never a marker, and each is a fixed point: made again from itself it stays the same.
        assertThat(c).doesNotContain("RAYOS_");
        assertThat(Names.component(c, "syslog")).isEqualTo(c);
        assertThat(Names.key(k)).isEqualTo(k);
    }

    @Provide
    Arbitrary<String> outsideNames() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(90),
                Arbitraries.strings().withChars("aAzZ09/:`{_.-@ \u00e9\u0130RAYOS").ofMaxLength(80));
    }
}
