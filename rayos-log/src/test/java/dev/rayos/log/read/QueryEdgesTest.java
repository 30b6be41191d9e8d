package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.S;
import static dev.rayos.log.read.ReadRoot.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.line.Level;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What {@code rayos logs} takes for {@code -p}, {@code -e}, {@code --grep}, {@code --category},
 * {@code --since}/{@code --until} (docs/reading-logs.md's table), one either side of each limit.
 */
class QueryEdgesTest {
    static final long DAY = 86_400L * S;

    @Test
    void everySyslogNumberIsItsLevelAndANameIsReadAsJournalctlReadsIt() throws Exception {
        Level[] bySyslog = {Level.EMERG, Level.ALERT, Level.CRIT, Level.ERROR, Level.WARN, Level.NOTICE, Level.INFO,
                Level.DEBUG};
        for (int n = 0; n <= 7; n++) {
            assertThat(LogQuery.priority(Integer.toString(n))).as("-p " + n).containsExactly(bySyslog[n], null);
        }
        assertThat(LogQuery.priority("warning")).containsExactly(Level.WARN, null);
        assertThat(LogQuery.priority("ERR")).containsExactly(Level.ERROR, null);
        assertThat(LogQuery.priority("warning..err")).containsExactly(Level.WARN, Level.ERROR);
        assertThat(LogQuery.priority("4..3")).containsExactly(Level.WARN, Level.ERROR);
        assertThat(LogQuery.priority("err..warning")).containsExactly(Level.WARN, Level.ERROR);
        assertThat(LogQuery.priority("..notice")).containsExactly(Level.TRACE, Level.NOTICE);
        assertThat(LogQuery.priority("crit..")).containsExactly(Level.CRIT, Level.EMERG);
        assertThat(LogQuery.priority("info..info")).containsExactly(Level.INFO, Level.INFO);
        assertThatThrownBy(() -> LogQuery.priority("8")).isInstanceOf(ReadQueryException.class)
                .hasMessageStartingWith("priority '8' is not a level");
        assertThatThrownBy(() -> LogQuery.priority(" ")).hasMessageStartingWith("-p needs a level");
    }

    @Test
    void anEventGlobIsWholeNameWithStarAndQuestionMarkAndRefusesWhatNoEventCanHold() throws Exception {
        assertThat(LogQuery.glob("RAYOS_*").matcher("RAYOS_READY").matches()).isTrue();
        assertThat(LogQuery.glob("AB").matcher("AB").matches()).isTrue();
        assertThat(LogQuery.glob("AB").matcher("ABC").matches()).isFalse();
        assertThat(LogQuery.glob("A?C").matcher("ABC").matches()).isTrue();
        assertThat(LogQuery.glob("A.C").matcher("ABC").matches()).isFalse(); // '.' is literal
        assertThat(LogQuery.glob("*").matcher("").matches()).isTrue();
        // the event's characters: 0x21 … 0x7E but '"', '=' and '\'
        assertThat(LogQuery.glob("!~").matcher("!~").matches()).isTrue();
        for (String bad : new String[] {"A B", "A\u007fB", "A\"B", "A=B", "A\\B", "A\u00e9B"}) {
            assertThatThrownBy(() -> LogQuery.glob(bad)).as(bad).isInstanceOf(ReadQueryException.class)
                    .hasMessageEndingWith("has a character no event name can hold (at 2)");
        }
        assertThat(LogQuery.glob("E".repeat(256)).matcher("E".repeat(256)).matches()).isTrue();
        assertThatThrownBy(() -> LogQuery.glob("E".repeat(257))).hasMessage("event glob must be 1-256 characters");
        assertThatThrownBy(() -> LogQuery.glob("")).hasMessage("event glob must be 1-256 characters");
    }

    @Test
    void aBadBootValueIsQuotedWholeUpToEightyCharacters() {
        String tail = "' is not 0, -N, N, a boot id (or a prefix of at least 4 hex digits) or all";
        assertThatThrownBy(() -> BootSelector.parse("z".repeat(80))).hasMessage("boot '" + "z".repeat(80) + tail);
        assertThatThrownBy(() -> BootSelector.parse("z".repeat(81))).hasMessage("boot '" + "z".repeat(80) + "…" + tail);
    }

    @Test
    void aGrepPatternIsAJavaRegexAndItsErrorSaysWhere() throws Exception {
        assertThat(LogQuery.regex("dIsK", true).matcher("DISK full").find()).isTrue();
        assertThat(LogQuery.regex("dIsK").matcher("DISK full").find()).isFalse();
        assertThatThrownBy(() -> LogQuery.regex("")).hasMessage("--grep needs a regular expression");
        assertThatThrownBy(() -> LogQuery.regex(null)).hasMessage("--grep needs a regular expression");
        assertThatThrownBy(() -> LogQuery.regex("*a"))
                .hasMessage("bad regular expression '*a': Dangling meta character '*' at index 0");
        assertThatThrownBy(() -> LogQuery.regex("ab\\")).hasMessageStartingWith("bad regular expression 'ab\\': ")
                .hasMessageEndingWith(" at index 3");
    }

    @Test
    void aCategoryIsADirectoryName() throws Exception {
        assertThat(LogQuery.category("input")).isEqualTo("input");
        assertThatThrownBy(() -> LogQuery.category("Input")).isInstanceOf(ReadQueryException.class)
                .hasMessage("category 'Input' is not [a-z][a-z0-9_-]* of at most 32 characters");
        assertThatThrownBy(() -> LogQuery.category("../x")).isInstanceOf(ReadQueryException.class);
    }

    @Test
    void aQueryPassesEveryLineOnlyWhenNothingCanLeaveOneOut() throws Exception {
        assertThat(LogQuery.ALL.passesEveryLine()).isTrue();
        assertThat(q(Level.TRACE, null).passesEveryLine()).isTrue();
        assertThat(q(Level.DEBUG, null).passesEveryLine()).isFalse();
        assertThat(q(null, Level.EMERG).passesEveryLine()).isTrue();
        assertThat(q(null, Level.ALERT).passesEveryLine()).isFalse();
        assertThat(new LogQuery(null, Set.of("kernel"), null, null, null, null, null).passesEveryLine()).isFalse();
        assertThat(new LogQuery(null, null, null, null, null, null, null, null, LogQuery.glob("k*")).passesEveryLine())
                .isFalse();
        assertThat(new LogQuery(null, null, LogQuery.glob("X"), null, null, null, null).passesEveryLine()).isFalse();
        assertThat(new LogQuery(null, null, null, null, LogQuery.regex("x"), null, null).passesEveryLine()).isFalse();
        assertThat(new LogQuery(null, null, null, null, null, 0L, null).passesEveryLine()).isFalse();
        assertThat(new LogQuery(null, null, null, null, null, null, 0L).passesEveryLine()).isFalse();
        assertThat(new LogQuery(null, null, null, Set.of("input"), null, null, null).passesEveryLine()).isTrue();
    }

    private static LogQuery q(Level min, Level max) {
        return new LogQuery(min, null, null, null, null, null, null, max, null);
    }

    @Test
    void relativeTimesReachBackAtMostOneHundredThousandDays() throws Exception {
        long now = T0 + 7 * S;
        assertThat(TimeExpr.parse("-100000d", now)).isZero(); // before the epoch: 0
        assertThatThrownBy(() -> TimeExpr.parse("-100001d", now)).hasMessageContaining("reaches back more than 100000 days");
        assertThatThrownBy(() -> TimeExpr.parse("-100000d1s", now)).hasMessageContaining("reaches back more than 100000 days");
        assertThat(TimeExpr.parse("-50000d50000d", now)).isZero();
        assertThatThrownBy(() -> TimeExpr.parse("-60000d50000d", now)).hasMessageContaining("reaches back more than 100000 days");
        assertThat(TimeExpr.parse("-1h30m", now)).isEqualTo(now - 5400 * S);
        assertThat(TimeExpr.parse("-90s", now)).isEqualTo(now - 90 * S);
        assertThat(TimeExpr.parse("-250ms", now)).isEqualTo(now - 250_000_000L);
        assertThat(TimeExpr.parse("-2d", now)).isEqualTo(now - 2 * DAY);
        assertThat(TimeExpr.parse("14000 weeks ago", now)).isZero(); // 98000 days
        assertThatThrownBy(() -> TimeExpr.parse("14001 weeks ago", now)).hasMessageContaining("reaches back more than 100000 days");
        assertThat(TimeExpr.parse("2 weeks ago", now)).isEqualTo(now - 14 * DAY);
        assertThat(TimeExpr.parse("1 hour ago", now)).isEqualTo(now - 3600 * S);
        assertThat(TimeExpr.parse("10 min ago", now)).isEqualTo(now - 600 * S);
        assertThat(TimeExpr.parse("3 secs ago", now)).isEqualTo(now - 3 * S);
        assertThat(TimeExpr.parse("5ms ago", now)).isEqualTo(now - 5_000_000L);
    }

    @Test
    void anExpressionOfSixtyFourCharactersIsReadAndOneLongerIsRefused() throws Exception {
        long now = T0;
        String sixtyFour = "-" + "0s".repeat(30) + "01s";
        assertThat(sixtyFour).hasSize(64);
        assertThat(TimeExpr.parse(sixtyFour, now)).isEqualTo(now - S);
        assertThatThrownBy(() -> TimeExpr.parse("-" + "0s".repeat(30) + "001s", now))
                .isInstanceOf(ReadQueryException.class).hasMessageStartingWith("time '-0s");
        assertThatThrownBy(() -> TimeExpr.parse(null, now)).hasMessageStartingWith("time '' is not one of: ");
        assertThatThrownBy(() -> TimeExpr.parse("", now)).hasMessageStartingWith("time '' is not one of: ");
    }

    @Test
    void datesAndTimesAreUtcAndDaysStartAtMidnight() throws Exception {
        long now = T0 + 15 * 3600 * S + 12 * 60 * S + 30 * S; // 2026-01-01T15:12:30Z
        assertThat(TimeExpr.parse("now", now)).isEqualTo(now);
        assertThat(TimeExpr.parse("today", now)).isEqualTo(T0);
        assertThat(TimeExpr.parse("yesterday", now)).isEqualTo(T0 - DAY);
        assertThat(TimeExpr.parse("tomorrow", now)).isEqualTo(T0 + DAY);
        assertThat(TimeExpr.parse("15:12", now)).isEqualTo(T0 + (15 * 3600 + 12 * 60) * S);
        assertThat(TimeExpr.parse("15:12:01", now)).isEqualTo(T0 + (15 * 3600 + 12 * 60 + 1) * S);
        assertThat(TimeExpr.parse("2026-01-01", now)).isEqualTo(T0);
        assertThat(TimeExpr.parse("2026-01-01 00:00:01", now)).isEqualTo(T0 + S);
        assertThat(TimeExpr.parse("2026-01-01T00:01Z", now)).isEqualTo(T0 + 60 * S);
        assertThat(TimeExpr.parse("2026-01-01T00:00:00.5Z", now)).isEqualTo(T0 + S / 2);
        assertThatThrownBy(() -> TimeExpr.parse("mono:5", now)).hasMessageStartingWith("time 'mono:5' is not one of");
        assertThatThrownBy(() -> TimeExpr.parse("2026-02-30", now)).hasMessageStartingWith("time '2026-02-30' is not valid (");
    }
}
