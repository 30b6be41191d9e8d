package dev.rayos.log.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.Lines;
import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.root.BootId;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serial sink against a console read at 115200 baud (a FIFO read at about 11 KiB/s). */
class SlowConsoleTest {
    @TempDir
    Path root;

    @Test
    void aSlowConsoleDropsOnlyOrdinaryLinesSaysHowManyAndNeverHoldsUpCallers() throws Exception {
        RootLayout layout = new RootLayout(root);
        Path fifo = root.resolve("ttyS0");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Files.createDirectories(layout.policyFile().getParent());
        Files.writeString(layout.policyFile(), "console.device = " + fifo + "\nconsole.queue_size = 8KiB\n");

        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        AtomicLong readSoFar = new AtomicLong();
        Thread reader = new Thread(() -> {
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                byte[] b = new byte[1024];
                int n;
                while ((n = in.read(b)) > 0) {
                    synchronized (seen) {
                        seen.write(b, 0, n);
                    }
                    readSoFar.addAndGet(n);
                    Thread.sleep(90); // ~11 KiB/s, a 115200-baud line
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        reader.start();

        BootId boot = BootId.random();
        int ordinary = 2000;
        int urgent = 0;
        long readWhenCallersWereDone;
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).open()) {
            Logger log = sys.logger("chatty");
            for (int i = 1; i <= ordinary; i++) {
                log.info("CHATTER").kv("i", i).kv("text", "an ordinary line nobody must wait for").log();
                if (i % 100 == 0) {
                    log.error("DISK_ERROR").kv("i", i).log();
                    log.info("RAYOS_PROGRESS").kv("i", i).log();
                    urgent += 2;
                }
            }
            readWhenCallersWereDone = readSoFar.get();
        }
        reader.join(120_000);
        String console = seen.toString(StandardCharsets.UTF_8);
        List<String> consoleLines = console.lines().toList();

        // The store is not affected by the console: every line is in the file.
        assertThat(Lines.of(layout, "boot", boot).stream().filter(l -> l.component().equals("chatty")))
                .hasSize(ordinary + urgent);
        // Callers finished long before the console had shown what they logged.
        long everything = ordinary * 80L;
        assertThat(readWhenCallersWereDone).isLessThan(everything / 2);
        // Urgent lines are never dropped.
        assertThat(consoleLines.stream().filter(l -> l.contains(" DISK_ERROR ") || l.contains(" RAYOS_PROGRESS ")))
                .hasSize(urgent);
        // Ordinary lines shown plus those the console said it dropped add up.
        long shown = consoleLines.stream().filter(l -> l.contains(" CHATTER ")).count();
        long dropped = 0;
        for (String l : consoleLines) {
            if (l.contains(" RAYOS_LOG_DROPPED ")) {
                LogLine parsed = LineCodec.parse(l);
                assertThat(parsed.get("sink")).isEqualTo("serial");
                dropped += Long.parseLong(parsed.get("count"));
            }
        }
        assertThat(dropped).as("dropped lines reported").isPositive();
        assertThat(shown + dropped).isEqualTo(ordinary);
    }
}
