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

    @Property(tries = 2000)
    void prioritiesParseOrFailWithTheirOwnError(@ForAll("hostile") String s) {
        try {
            dev.rayos.log.line.Level[] r = LogQuery.priority(s);
            assertThat(r[0]).isNotNull();
            if (r[1] != null) {
                assertThat(r[0].compareTo(r[1])).isLessThanOrEqualTo(0);
            }
        } catch (ReadQueryException e) {
            assertThat(e.getMessage()).doesNotContain("\n").isNotBlank();
        }
    }

    @Test
    void prioritiesAreJournalctlsNamesNumbersAndRanges() throws Exception {
        assertThat(LogQuery.priority("warning")).containsExactly(dev.rayos.log.line.Level.WARN, null);
        assertThat(LogQuery.priority("3")).containsExactly(dev.rayos.log.line.Level.ERROR, null);
        assertThat(LogQuery.priority("warning..err"))
                .containsExactly(dev.rayos.log.line.Level.WARN, dev.rayos.log.line.Level.ERROR);
        assertThat(LogQuery.priority("3..4")).containsExactly(dev.rayos.log.line.Level.WARN, dev.rayos.log.line.Level.ERROR);
        assertThat(LogQuery.priority("..notice"))
                .containsExactly(dev.rayos.log.line.Level.TRACE, dev.rayos.log.line.Level.NOTICE);
        assertThat(LogQuery.priority("crit..")).containsExactly(dev.rayos.log.line.Level.CRIT, dev.rayos.log.line.Level.EMERG);
        assertThatThrownBy(() -> LogQuery.priority("8")).isInstanceOf(ReadQueryException.class);
    }

    @Test
    void timeExpressionsMeanWhatTheDocsSay() throws Exception {
        assertThat(TimeExpr.parse("now", NOW)).isEqualTo(NOW);
        assertThat(TimeExpr.parse("-10m", NOW)).isEqualTo(NOW - 600_000_000_000L);
        assertThat(TimeExpr.parse("-1h30m", NOW)).isEqualTo(NOW - 5_400_000_000_000L);
        assertThat(TimeExpr.parse("2026-01-01", NOW)).isEqualTo(NOW);
        assertThat(TimeExpr.parse("2026-01-01T00:00:01.5Z", NOW)).isEqualTo(NOW + 1_500_000_000L);
        long day = 86_400_000_000_000L;
        assertThat(TimeExpr.parse("today", NOW + 5)).isEqualTo(NOW);
        assertThat(TimeExpr.parse("yesterday", NOW + 5)).isEqualTo(NOW - day);
        assertThat(TimeExpr.parse("tomorrow", NOW)).isEqualTo(NOW + day);
        assertThat(TimeExpr.parse("1 hour ago", NOW)).isEqualTo(NOW - 3_600_000_000_000L);
        assertThat(TimeExpr.parse("10 min ago", NOW)).isEqualTo(NOW - 600_000_000_000L);
        assertThat(TimeExpr.parse("2 weeks ago", NOW)).isEqualTo(NOW - 14 * day);
        // journalctl's "YYYY-MM-DD HH:MM[:SS]", in UTC like every time here
        assertThat(TimeExpr.parse("2026-01-01 10:00", NOW)).isEqualTo(NOW + 36_000_000_000_000L);
        assertThat(TimeExpr.parse("2026-01-01 10:00:30", NOW)).isEqualTo(NOW + 36_030_000_000_000L);
        assertThat(TimeExpr.parse("2026-01-01T00:00:00", NOW)).isEqualTo(NOW);
        // a time alone is today's, as journalctl has it
        assertThat(TimeExpr.parse("10:00", NOW + 5)).isEqualTo(NOW + 36_000_000_000_000L);
        assertThat(TimeExpr.parse("10:00:30", NOW + day - 1)).isEqualTo(NOW + 36_030_000_000_000L);
        assertThatThrownBy(() -> TimeExpr.parse("25:00", NOW)).isInstanceOf(ReadQueryException.class);
        assertThatThrownBy(() -> TimeExpr.parse("the day before", NOW)).isInstanceOf(ReadQueryException.class)
                .hasMessageContaining("yesterday");
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
