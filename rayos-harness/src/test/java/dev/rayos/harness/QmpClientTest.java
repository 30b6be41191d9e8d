package dev.rayos.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.harness.qmp.QmpEvent;
import dev.rayos.harness.qmp.QmpException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The QMP client against a real QEMU: no fake server, the protocol as QEMU 7.2 speaks it. */
@ExtendWith(NoStrayQemu.class)
class QmpClientTest {
    @TempDir Path tmp;
    static final Duration T = Duration.ofSeconds(5);

    @Test
    void repliesFindTheirCommandsAndEventsArriveApart() throws Exception {
        MachineConfig config = QemuGuest.guest(tmp, "while true; do sleep 1; done").build();
        try (Machine m = Machine.boot(config)) {
            assertThat(m.qmp().execute("query-status", Map.of(), T)).containsEntry("status", "running").containsEntry("running", true);

            assertThat(m.qmp().execute("stop", Map.of(), T)).isEmpty();
            assertThat(m.qmp().execute("query-status", Map.of(), T)).containsEntry("status", "paused");
            assertThat(m.qmp().execute("cont", Map.of(), T)).isEmpty();
            Machine.sleepQuietly(200);
            assertThat(m.qmpEvents()).extracting(QmpEvent::name).containsSubsequence("STOP", "RESUME");

            // many commands in flight at once: each reply goes to its own caller, by id
            List<CompletableFuture<Map<String, Object>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                inFlight.add(i % 2 == 0 ? m.qmp().send("query-status", Map.of()) : m.qmp().send("query-name", Map.of()));
            }
            for (int i = 0; i < 50; i++) {
                Map<String, Object> r = inFlight.get(i).get(5, java.util.concurrent.TimeUnit.SECONDS);
                if (i % 2 == 0) {
                    assertThat(r).containsKey("status");
                } else {
                    assertThat(r).doesNotContainKey("status");
                }
            }
        }
    }

    @Test
    void errorReplyAndMissingReplyAreTypedFailures() throws Exception {
        MachineConfig config = QemuGuest.guest(tmp, "while true; do sleep 1; done").build();
        try (Machine m = Machine.boot(config)) {
            assertThatThrownBy(() -> m.qmp().execute("no-such-command", Map.of(), T))
                    .isInstanceOf(QmpException.class)
                    .satisfies(e -> assertThat(((QmpException) e).kind()).isEqualTo(QmpException.Kind.ERROR_REPLY))
                    .hasMessageContaining("CommandNotFound");

            assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(m.pid())).start().waitFor()).isZero();
            long start = System.nanoTime();
            assertThatThrownBy(() -> m.qmp().execute("query-status", Map.of(), Duration.ofMillis(700)))
                    .isInstanceOf(QmpException.class)
                    .satisfies(e -> assertThat(((QmpException) e).kind()).isEqualTo(QmpException.Kind.TIMEOUT));
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(650L, 3000L);
            new ProcessBuilder("kill", "-CONT", Long.toString(m.pid())).start().waitFor();
        }
    }
}
