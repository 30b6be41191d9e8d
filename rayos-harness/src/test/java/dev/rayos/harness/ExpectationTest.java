package dev.rayos.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExpectationTest {
    static final Duration DEFAULT = Duration.ofSeconds(60);

    @Test
    void markerWithoutTimeoutTakesTheDefault() {
        assertThat(Expectation.parse("RAYOS_READY", DEFAULT)).isEqualTo(new Expectation("RAYOS_READY", DEFAULT));
    }

    @Test
    void timeoutUnitsAreSecondsMillisecondsAndMinutes() {
        assertThat(Expectation.parse("RAYOS_READY@30", DEFAULT).timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Expectation.parse("RAYOS_READY@30s", DEFAULT).timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Expectation.parse("RAYOS_READY@500ms", DEFAULT).timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(Expectation.parse("RAYOS_READY@2m", DEFAULT).timeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void atSignNotFollowedByATimeoutStaysInTheMarker() {
        assertThat(Expectation.parse("user@host", DEFAULT)).isEqualTo(new Expectation("user@host", DEFAULT));
        assertThat(Expectation.parse("user@host@5s", DEFAULT)).isEqualTo(new Expectation("user@host", Duration.ofSeconds(5)));
    }

    @Test
    void emptyMarkerIsRefusedAndAZeroOrBareTimeoutIsPartOfTheMarker() {
        assertThatThrownBy(() -> Expectation.parse("", DEFAULT)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Expectation.parse("X@0", DEFAULT)).isEqualTo(new Expectation("X@0", DEFAULT));
        assertThat(Expectation.parse("@5s", DEFAULT)).isEqualTo(new Expectation("@5s", DEFAULT));
    }
}
