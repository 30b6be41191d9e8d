package dev.rayos.log.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Levels as docs/log-format.md has them: syslog's eight severities plus TRACE, ERROR and worse urgent. */
class LevelTest {
    @ParameterizedTest(name = "{0}: severity {1}, urgent {2}")
    @CsvSource({"TRACE,7,false", "DEBUG,7,false", "INFO,6,false", "NOTICE,5,false", "WARN,4,false",
            "ERROR,3,true", "CRIT,2,true", "ALERT,1,true", "EMERG,0,true"})
    void eachLevelHasItsSyslogSeverityAndErrorAndWorseAreUrgent(String name, int severity, boolean urgent) {
        Level l = Level.byName(name);
        assertThat(l).isNotNull();
        assertThat(l.syslogSeverity()).isEqualTo(severity);
        assertThat(l.isUrgent()).isEqualTo(urgent);
        assertThat(new String(l.ascii(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(name);
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"warning,WARN", "WARN,WARN", " Err ,ERROR", "critical,CRIT", "Emergency,EMERG", "info,INFO",
            "alert,ALERT", "trace,TRACE", "notice,NOTICE", "debug,DEBUG", "crit,CRIT", "emerg,EMERG", "error,ERROR"})
    void whatAPersonTypesIsReadInAnyCaseWithSyslogsSpellings(String typed, Level want) {
        assertThat(Level.parseUserInput(typed)).isEqualTo(want);
    }

    @Test
    void anUnknownLevelIsRefusedNamingTheLevelsThereAre() {
        assertThatThrownBy(() -> Level.parseUserInput("loud")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown level 'loud' (expected one of TRACE DEBUG INFO NOTICE WARN ERROR CRIT ALERT EMERG)");
        assertThat(Level.byName("info")).as("a line carries the level in upper case").isNull();
        assertThat(Level.byName("WARNING")).isNull();
    }
}
