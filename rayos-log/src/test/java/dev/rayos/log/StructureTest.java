package dev.rayos.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.shape.ModuleShape;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shape of rayos-log ({@link ModuleShape}): no package cycle, and its long classes with why. */
class StructureTest extends ModuleShape {
    /** Classes allowed past {@link ModuleShape#MAX_LINES}, each with why. Keep this list short. */
    static final Map<String, String> LONG_CLASSES = Map.of(
            "boot/BootRecord.java", "the boot history record and its JSON form, which docs/boot-history.md pins down",
            "crash/CrashReportFormat.java", "the crash report's text, written and parsed beside each other (docs/crash-report.md)");

    StructureTest() {
        super(LogSystem.class, LONG_CLASSES);
    }

    @Test
    void theCycleCheckFindsACycle() {
        // The check itself must be able to fail: two packages using each other are one group.
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("a", "c"), "c", Set.of());
        assertThat(ModuleShape.cycles(uses)).containsExactly("[a, b]: [a -> b, b -> a]");
    }
}
