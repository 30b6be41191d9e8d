package dev.rayos.cli.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The menu-input parser over typed, noisy and hostile lines: a typed answer or one printable line why not. */
class MenuInputTest {
    @Test
    void aNumberInRangeChoosesThatEntryAndSpacesOrACarriageReturnDoNotMatter() {
        assertThat(MenuInput.menu("3", 12)).isEqualTo(new MenuInput.Choice(2));
        assertThat(MenuInput.menu("  12\r", 12)).isEqualTo(new MenuInput.Choice(11));
        assertThat(MenuInput.menu("007", 12)).isEqualTo(new MenuInput.Choice(6));
        assertThat(MenuInput.menu("q", 12)).isInstanceOf(MenuInput.Quit.class);
        assertThat(MenuInput.menu("\t", 12)).isInstanceOf(MenuInput.Redraw.class);
    }

    @Test
    void outOfRangeOrNotANumberIsOneLineNamingWhatWasTyped() {
        assertThat(MenuInput.menu("13", 12)).isEqualTo(new MenuInput.Invalid(
                "unknown choice '13': type a number from 1 to 12, or q to leave"));
        assertThat(MenuInput.menu("0", 12)).isInstanceOf(MenuInput.Invalid.class);
        assertThat(MenuInput.menu("\u001b[A", 12)).isEqualTo(new MenuInput.Invalid(
                "unknown choice '\\x1b[A': type a number from 1 to 12, or q to leave"));
        assertThat(MenuInput.menu("\u0663", 12)).isInstanceOf(MenuInput.Invalid.class); // Arabic-Indic three
    }

    @Property(tries = 2000)
    void everyLineAtTheMenuIsAChoiceInRangeQuitRedrawOrOnePrintableLine(@ForAll("hostile") String line,
                                                                        @ForAll @IntRange(min = 1, max = 40) int count) {
        MenuInput in = MenuInput.menu(line, count);
        if (in instanceof MenuInput.Choice c) {
            assertThat(c.index()).isBetween(0, count - 1);
            assertThat(line.strip()).matches("[0-9]{1,3}");
        } else if (in instanceof MenuInput.Invalid bad) {
            assertOneShortPrintableLine(bad.why());
        } else {
            assertThat(in).isInstanceOfAny(MenuInput.Quit.class, MenuInput.Redraw.class);
        }
    }

    @Property(tries = 2000)
    void everyAnswerIsPrintableAsciiOfAtMost64OrOnePrintableLine(@ForAll("hostile") String line) {
        MenuInput in = MenuInput.answer(line);
        if (in instanceof MenuInput.Answer a) {
            assertThat(a.text()).hasSizeLessThanOrEqualTo(MenuInput.MAX_ANSWER).matches("[\\x20-\\x7e]*");
            assertThat(a.text()).doesNotStartWith(" ").doesNotEndWith(" ");
        } else {
            assertThat(in).isInstanceOf(MenuInput.Invalid.class);
            assertOneShortPrintableLine(((MenuInput.Invalid) in).why());
        }
    }

    private static void assertOneShortPrintableLine(String why) {
        assertThat(why).doesNotContain("\n", "\r", "\u001b").hasSizeLessThan(200);
        // no control character (C0, DEL, C1), no line or bidi separator, no lone surrogate reaches the terminal
        assertThat(why.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || Character.isSurrogate((char) c))).as(why).isTrue();
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> controls = Arbitraries.strings().withChars("\u0000\u0007\b\t\n\r\u001b[]0123456789q \u007f\u00a0\u2028\ud83d\ude00")
                .ofMaxLength(40);
        Arbitrary<String> numbers = Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(l -> "  " + l + "\r"), Arbitraries.strings().numeric().ofMaxLength(30));
        Arbitrary<String> escapes = Combinators.combine(Arbitraries.of("\u001b[A", "\u001b[2J", "\u001b]0;x\u0007",
                "\u009b31m", "-1", "--root=/", "../../etc"), Arbitraries.strings().ofMaxLength(10)).as((a, b) -> a + b);
        return Arbitraries.oneOf(noise, controls, numbers, escapes);
    }
}
