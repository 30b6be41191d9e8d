package dev.rayos.slf4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What an SLF4J call allocates on the caller's thread, measured by HotSpot's per-thread counter after
 * warm-up: nothing but what SLF4J's own API makes (its varargs arrays, the fluent API's event).
 */
class Slf4jAllocationTest {
    @TempDir
    Path root;

    private static long perCall(Runnable call) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        long self = Thread.currentThread().getId();
        int n = 200_000;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 6; round++) { // the first rounds compile the path
            long before = mx.getThreadAllocatedBytes(self);
            for (int i = 0; i < n; i++) {
                call.run();
            }
            best = Math.min(best, mx.getThreadAllocatedBytes(self) - before);
        }
        return best / n;
    }

    @Test
    void aCallAllocatesNothingButWhatTheSlf4jApiItselfMakes() throws Exception {
        try (LogSystem sys = LogSystem.builder(new RootLayout(root)).boot(BootId.random())
                .policy(Policy.parse("console.device = /dev/null\nlog.min_level = DEBUG\nretention.max_file_size = 1GiB\nretention.max_files = 2\n"))
                .console(OutputStream.nullOutputStream()).open()) {
            RayosSlf4j.use(sys);
            Logger log = LoggerFactory.getLogger("com.example.shop.OrderService");
            Integer order = 4242;
            Integer items = 3;
            String user = "ann";
            long literal = perCall(() -> log.info("order placed"));
            long oneArg = perCall(() -> log.info("order {} placed", user));
            long twoInts = perCall(() -> log.info("order {} placed for {} items", order, items));
            MDC.put("request", "r-17");
            MDC.put("tenant", "acme");
            long withMdc = perCall(() -> log.info("order placed"));
            MDC.clear();
            long disabled = perCall(() -> log.trace("fine detail {}", user));
            System.out.printf("slf4j caller allocation, B/call: literal %d, one arg %d, two Integer args %d, "
                    + "literal with 2 MDC entries %d, disabled level %d%n", literal, oneArg, twoInts, withMdc, disabled);
            assertThat(literal).as("a literal message").isZero();
            assertThat(oneArg).as("one argument (SLF4J's API passes it without an array)").isZero();
            assertThat(twoInts).as("two boxed integers: no array, no String per argument").isZero();
            assertThat(withMdc).as("MDC entries read in place").isZero();
            assertThat(disabled).as("a disabled level").isZero();
        }
    }
}
