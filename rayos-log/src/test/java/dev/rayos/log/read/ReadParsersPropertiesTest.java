package dev.rayos.log.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ReadParsersPropertiesTest {
    static final long NOW = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withChars("0123456789-+:TZ.smhdabcfenowl ").ofMaxLength(40),
                Arbitraries.of("-", "+", "-0", "--1", "-99999999999", "0x10", "all ", "ALL", "2025-13-01", "-10x",
                        "2025-02-30T00:00:00Z", "9999-01-01T00:00:00Z", "-1000000d", "mono:5", "", " ", "\n", "-1h-1h"));
    }

    @Property(tries = 2000)
    void timeExpressionsParseOrFailWithTheirOwnError(@ForAll("hostile") String s) {
        try {
            long v = TimeExpr.parse(s, NOW);
            // NOW + 300 years overflows a long (the bound was negative, failing every parsed value):
            // saturate at the largest time there is.
            long span = 300L * 365 * 86_400_000_000_000L;
            assertThat(v).isBetween(0L, NOW > Long.MAX_VALUE - span ? Long.MAX_VALUE : NOW + span);
        } catch (ReadQueryException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @Property(tries = 2000)
    void bootSelectorsParseOrFailWithTheirOwnError(@ForAll("hostile") String s) {
        try {
            assertThat(BootSelector.parse(s)).isNotNull();
        } catch (ReadQueryException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @Property(tries = 1000)
    void globsAndRegexesCompileOrFailWithTheirOwnError(@ForAll("hostile") String s) {
        try {
            LogQuery.glob(s);
        } catch (ReadQueryException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            LogQuery.regex(s);
        } catch (ReadQueryException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Test
    void timeExpressionsMeanWhatTheDocsSay() throws Exception {
        assertThat(TimeExpr.parse("now", NOW)).isEqualTo(NOW);
        assertThat(TimeExpr.parse("-10m", NOW)).isEqualTo(NOW - 600_000_000_000L);
        assertThat(TimeExpr.parse("-1h30m", NOW)).isEqualTo(NOW - 5_400_000_000_000L);
        assertThat(TimeExpr.parse("2026-01-01", NOW)).isEqualTo(NOW);
        assertThat(TimeExpr.parse("2026-01-01T00:00:01.5Z", NOW)).isEqualTo(NOW + 1_500_000_000L);
        assertThatThrownBy(() -> TimeExpr.parse("yesterday", NOW)).isInstanceOf(ReadQueryException.class);
        assertThatThrownBy(() -> TimeExpr.parse("2026-01-01T00:00:00", NOW)).isInstanceOf(ReadQueryException.class)
                .hasMessageContaining("'Z'");
    }

    @Test
    void bootValuesAreOffsetsIdsOrAllAsJournalctlHasThem() throws Exception {
        assertThat(BootSelector.parse(null)).isEqualTo(new BootSelector.Current());
        assertThat(BootSelector.parse("0")).isEqualTo(new BootSelector.FromLatest(0));
        assertThat(BootSelector.parse("-2")).isEqualTo(new BootSelector.FromLatest(2));
        assertThat(BootSelector.parse("1")).isEqualTo(new BootSelector.FromFirst(1));
        assertThat(BootSelector.parse("+3")).isEqualTo(new BootSelector.FromFirst(3));
        assertThat(BootSelector.parse("all")).isEqualTo(new BootSelector.All());
        assertThat(BootSelector.parse("ABCD12")).isEqualTo(new BootSelector.IdPrefix("abcd12"));
        assertThatThrownBy(() -> BootSelector.parse("../etc")).isInstanceOf(ReadQueryException.class);
        assertThatThrownBy(() -> BootSelector.parse("abc")).isInstanceOf(ReadQueryException.class);
    }
}
