package dev.rayos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoStrayQemu.class)
class MachineBootTest {
    @TempDir Path tmp;

    @Test
    void guestThatPrintsReadyIsSeenReadyThroughTheMachineApi() throws Exception {
        MachineConfig config = QemuGuest.guest(tmp, """
                echo RAYOS_BOOTLOADER_START version=0.1
                echo RAYOS_KERNEL_START
                echo RAYOS_READY mode=bicameral
                while true; do sleep 1; done
                """).build();
        try (Machine m = Machine.boot(config)) {
            Awaited start = m.await("RAYOS_KERNEL_START", Duration.ofSeconds(30));
            Awaited ready = m.await("RAYOS_READY", Duration.ofSeconds(30));
            System.out.println("boot to RAYOS_READY: " + m.uptimeMs() + " ms");
            assertThat(start.met()).isTrue();
            assertThat(ready.met()).as(m.transcript()).isTrue();
            assertThat(m.ending()).isNull();
        }
    }
}
