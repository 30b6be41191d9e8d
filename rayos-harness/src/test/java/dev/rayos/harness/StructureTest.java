package dev.rayos.harness;

import dev.rayos.log.shape.ModuleShape;
import java.util.Map;

/** The shape of rayos-harness ({@link ModuleShape}): no package cycle, and its long classes with why. */
class StructureTest extends ModuleShape {
    /** Classes allowed past {@link ModuleShape#MAX_LINES}, each with why. Keep this list short. */
    static final Map<String, String> LONG_CLASSES = Map.of();

    StructureTest() {
        super(Machine.class, LONG_CLASSES);
    }
}
