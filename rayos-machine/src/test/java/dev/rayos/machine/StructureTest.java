package dev.rayos.machine;

import dev.rayos.log.shape.ModuleShape;
import dev.rayos.machine.agent.Agent;
import java.util.Map;

/** The shape of rayos-machine ({@link ModuleShape}): no package cycle, and its long classes with why. */
class StructureTest extends ModuleShape {
    /** Classes allowed past {@link ModuleShape#MAX_LINES}, each with why. Keep this list short. */
    static final Map<String, String> LONG_CLASSES = Map.of();

    StructureTest() {
        super(Agent.class, LONG_CLASSES);
    }
}
