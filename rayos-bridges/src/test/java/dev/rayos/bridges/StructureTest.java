package dev.rayos.bridges;

import dev.rayos.bridges.syslog.SyslogListener;
import dev.rayos.log.shape.ModuleShape;
import java.util.Map;

/** The shape of rayos-bridges ({@link ModuleShape}): no package cycle, and its long classes with why. */
class StructureTest extends ModuleShape {
    /** Classes allowed past {@link ModuleShape#MAX_LINES}, each with why. Keep this list short. */
    static final Map<String, String> LONG_CLASSES = Map.of();

    StructureTest() {
        super(SyslogListener.class, LONG_CLASSES);
    }
}
