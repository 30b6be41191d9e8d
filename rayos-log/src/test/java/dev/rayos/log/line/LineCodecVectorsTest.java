package dev.rayos.log.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.log.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LineCodecVectorsTest {

    static Stream<Map<String, Object>> vectors() throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String l : Vectors.read("log-format-vectors.txt").split("\n")) {
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            out.add(JSON.std.mapFrom(l));
        }
        assertThat(out).hasSizeGreaterThan(30);
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void everyDocumentedLineParsesAsDocumentedOrFailsWhereDocumented(Map<String, Object> v) throws Exception {
        String line = (String) v.get("line");
        if (v.containsKey("error_column")) {
            LineParseException e = catchThrowableOfType(() -> LineCodec.parse(line), LineParseException.class);
            assertThat(e).as("%s must not parse (%s)", line, v.get("why")).isNotNull();
            assertThat(e.column()).as("column for %s: %s", v.get("why"), e.getMessage())
                    .isEqualTo(((Number) v.get("error_column")).intValue());
            return;
        }
        LogLine parsed = LineCodec.parse(line);
        assertThat(parsed.ts().toString()).isEqualTo(v.get("ts"));
        assertThat(parsed.level().name()).isEqualTo(v.get("level"));
        assertThat(parsed.component()).isEqualTo(v.get("component"));
        assertThat(parsed.event()).isEqualTo(v.get("event"));
        @SuppressWarnings("unchecked")
        List<List<String>> fields = (List<List<String>>) v.get("fields");
        assertThat(parsed.fields()).hasSize(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            assertThat(parsed.fields().get(i).key()).isEqualTo(fields.get(i).get(0));
            assertThat(parsed.fields().get(i).value()).isEqualTo(fields.get(i).get(1));
        }
        // What the codec writes for it parses back to the same event.
        assertThat(LineCodec.parse(LineCodec.format(parsed))).isEqualTo(parsed);
    }
}
