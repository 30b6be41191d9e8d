package dev.rayos.harness;

import dev.rayos.log.ModuleShape;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shape of rayos-harness, checked at every build (issue 12): its packages form no cycle, and no class
 * runs past {@link ModuleShape#MAX_LINES} lines unless it is listed below with the reason it is one
 * piece. The checks live in rayos-log's {@link ModuleShape}.
 */
class StructureTest {
    /** Classes allowed past {@link ModuleShape#MAX_LINES}, each with why. Keep this list short. */
    static final Map<String, String> LONG_CLASSES = Map.of();

    @Test
    void packagesDependOnEachOtherWithoutACycle() {
        ModuleShape.of(Machine.class).assertNoPackageCycle();
    }

    @Test
    void noClassIsLongerThan400LinesWithoutAStatedReason() throws IOException {
        ModuleShape.of(Machine.class).assertLongClassesHaveAReason(LONG_CLASSES);
    }
}
