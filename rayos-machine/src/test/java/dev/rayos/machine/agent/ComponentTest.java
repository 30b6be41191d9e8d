package dev.rayos.machine.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ComponentTest {
    @Test
    void aComponentListReadsNamesAndSafeMarksInOrderSkippingComments() {
        List<Component> c = Component.parseList("# the image's components\nnet normal\n\n  store   safe  \r\nweb-ui_2 normal\n");
        assertThat(c).containsExactly(new Component("net", false), new Component("store", true), new Component("web-ui_2", false));
        assertThat(c).extracting(Component::line).containsExactly("net normal", "store safe", "web-ui_2 normal");
        assertThat(Component.parseList(String.join("\n", c.stream().map(Component::line).toList()))).isEqualTo(c);
        assertThat(Component.parseList("")).isEmpty();
    }

    @Test
    void aWrongLineIsNamedByItsNumber() {
        assertThatThrownBy(() -> Component.parseList("net normal\nstore\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("components line 2: expected 'NAME normal|safe', found 'store'");
        assertThatThrownBy(() -> Component.parseList("net fast\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> Component.parseList("../etc normal\n")).hasMessageStartingWith("components line 1: '../etc' is not a component name");
        assertThatThrownBy(() -> Component.parseList("Net normal\n")).hasMessageContaining("is not a component name");
        assertThatThrownBy(() -> Component.parseList("net normal\nnet safe\n")).hasMessage("components line 2: component 'net' is listed twice");
    }

    @Property(tries = 3000)
    void hostileComponentListsAnswerIllegalArgumentWithAMessageOnly(@ForAll("lists") String text) {
        try {
            for (Component c : Component.parseList(text)) {
                assertThat(c.name()).matches("[a-z][a-z0-9_-]{0,31}");
            }
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n", "\r", "\0");
        }
    }

    @Provide
    Arbitrary<String> lists() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of("net normal", "store safe", "# x", "", "a normal extra", "..", "../x normal", "a/b safe", "x\0 normal",
                        "ä normal", "net normal", "a".repeat(40) + " safe", "\u00a0net normal", "net\u2028normal"),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("az09_-/. \t\r\0").ofMaxLength(20).map(s -> s + " normal"));
        return Arbitraries.oneOf(line.list().ofMaxSize(8).map(l -> String.join("\n", l)), Arbitraries.strings().all().ofMaxLength(100));
    }
}
