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
    void aWordAfterTheLastAtSignThatIsNoTimeoutIsRefusedNotTakenAsAMarker() {
        assertThatThrownBy(() -> Expectation.parse("NEVER@bogus", DEFAULT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bogus' is not a timeout");
        assertThatThrownBy(() -> Expectation.parse("X@0", DEFAULT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Expectation.parse("NEVER@", DEFAULT)).hasMessageContaining("nothing after '@'");
        assertThat(Expectation.parse("user@host@5s", DEFAULT)).isEqualTo(new Expectation("user@host", Duration.ofSeconds(5)));
        assertThat(Expectation.parse("mail user@ex.org@5s", DEFAULT).marker()).isEqualTo("mail user@ex.org");
    }

    @Test
    void emptyMarkerIsRefusedAndAnAtSignAtTheStartIsPartOfTheMarker() {
        assertThatThrownBy(() -> Expectation.parse("", DEFAULT)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Expectation.parse("@5s", DEFAULT)).isEqualTo(new Expectation("@5s", DEFAULT));
    }

    @Test
    void aBootNumberInFrontNamesTheBootTheMarkerMustAppearIn() {
        Expectation e = Expectation.parse("3:RAYOS_RECOVERY_READY@120s", DEFAULT);
        assertThat(e).isEqualTo(new Expectation(3, "RAYOS_RECOVERY_READY", Duration.ofSeconds(120)));
        assertThat(e.label()).isEqualTo("3:RAYOS_RECOVERY_READY");
        assertThat(Expectation.parse("RAYOS_PRESENTATION:on", DEFAULT).boot()).isZero();
        assertThatThrownBy(() -> Expectation.parse("0:RAYOS_READY", DEFAULT)).hasMessageContaining("counted from 1");
    }

    @Test
    void aSendWaitsForItsMarkerAndTypesTheRestOfTheLine() {
        assertThat(Send.parse("RAYOS_RECOVERY_READY=1")).isEqualTo(new Send(0, "RAYOS_RECOVERY_READY", "1"));
        assertThat(Send.parse("2:RAYOS_READY=rayos boot-entries oneshot safe && reboot"))
                .isEqualTo(new Send(2, "RAYOS_READY", "rayos boot-entries oneshot safe && reboot"));
        assertThat(Send.parse("prompt> =a=b").text()).isEqualTo("a=b");
        assertThatThrownBy(() -> Send.parse("no-equals-sign")).hasMessageContaining("MARKER=TEXT");
        assertThatThrownBy(() -> Send.parse("M=two\nlines".replace("\\n", "\n"))).hasMessageContaining("one line");
    }
}
