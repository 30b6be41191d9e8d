package dev.rayos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test class when a QEMU started by this JVM is still running after it: every
 * path through the harness (pass, timeout, crash, watchdog) must reap its QEMU. Only this
 * JVM's descendants are checked, so QEMUs of other jobs on the machine do not count.
 */
public final class NoStrayQemu implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<String> stray = strays();
        // an exit in progress may need a moment to be reaped
        for (int i = 0; i < 50 && !stray.isEmpty(); i++) {
            Thread.sleep(100);
            stray = strays();
        }
        assertThat(stray).as("QEMU processes left behind by " + context.getDisplayName()).isEmpty();
    }

    static List<String> strays() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .toList();
    }
}
