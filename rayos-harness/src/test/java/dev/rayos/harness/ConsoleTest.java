package dev.rayos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTest {
    static long deadline(long ms) {
        return System.nanoTime() + ms * 1_000_000;
    }

    static void feed(Console c, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        c.accept(b, 0, b.length);
    }

    @Test
    void markerSplitAcrossReadsIsFound() throws Exception {
        Console c = new Console();
        feed(c, "boot...\nRAYOS_RE");
        assertThat(c.awaitText("RAYOS_READY", 0, deadline(10), () -> false)).isEqualTo(-1);
        feed(c, "A");
        feed(c, "DY mode=bicameral\n");
        assertThat(c.awaitText("RAYOS_READY", 0, deadline(10), () -> false)).isEqualTo("boot...\nRAYOS_READY".length());
    }

    @Test
    void markerAfterKernelPrintkInTheMiddleOfTheLineIsFound() throws Exception {
        Console c = new Console();
        feed(c, "init: starting [    2.904512] random: crng init done\r\n");
        feed(c, "[    2.9] virtio: probeRAYOS_READY\r\n");
        assertThat(c.awaitText("RAYOS_READY", 0, deadline(10), () -> false)).isPositive();
    }

    @Test
    void secondWaitOnlyMatchesTextAfterTheFirstMatch() throws Exception {
        Console c = new Console();
        feed(c, "RAYOS_READY\n");
        long first = c.awaitText("RAYOS_READY", 0, deadline(10), () -> false);
        assertThat(c.awaitText("RAYOS_READY", first, deadline(10), () -> false)).isEqualTo(-1);
        feed(c, "again RAYOS_READY\n");
        assertThat(c.awaitText("RAYOS_READY", first, deadline(10), () -> false)).isGreaterThan(first);
    }

    @Test
    void waiterWakesWhenTextArrivesFromAnotherThread() throws Exception {
        Console c = new Console();
        Thread t = new Thread(() -> {
            Machine.sleepQuietly(100);
            feed(c, "RAYOS_READY\n");
        });
        t.start();
        long start = System.nanoTime();
        assertThat(c.awaitText("RAYOS_READY", 0, deadline(5000), () -> false)).isPositive();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
        t.join();
    }

    @Test
    void utf8SequenceSplitAcrossReadsDecodesOnce() {
        Console c = new Console();
        byte[] b = "é\n".getBytes(StandardCharsets.UTF_8);
        c.accept(b, 0, 1);
        c.accept(b, 1, 2);
        assertThat(c.text()).isEqualTo("é\n");
    }

    @Test
    void linesLoseTheirCarriageReturnAndOverlongLinesAreCut() {
        Console c = new Console();
        List<Console.ConsoleLine> lines = new ArrayList<>();
        c.onLine(lines::add);
        feed(c, "one\r\ntw");
        feed(c, "o\n" + "x".repeat(Console.MAX_LINE_CHARS + 10) + "\n");
        assertThat(lines).extracting(Console.ConsoleLine::text).element(0).isEqualTo("one");
        assertThat(lines.get(1).text()).isEqualTo("two");
        assertThat(lines.get(2).text()).hasSize(Console.MAX_LINE_CHARS);
        assertThat(lines.get(2).cut()).isTrue();
        assertThat(lines.get(1).cut()).isFalse();
    }

    @Test
    void endlessGuestOutputStaysBoundedAndStillMatches() throws Exception {
        Console c = new Console(1 << 16);
        for (int i = 0; i < 1000; i++) {
            feed(c, "noise line " + i + "\n");
        }
        feed(c, "RAYOS_READY\n");
        assertThat(c.text().length()).isLessThanOrEqualTo(1 << 16);
        assertThat(c.awaitText("RAYOS_READY", 0, deadline(10), () -> false)).isEqualTo(c.position() - 1);
    }

    @Test
    void stopConditionEndsTheWaitEarly() throws Exception {
        Console c = new Console();
        long start = System.nanoTime();
        assertThat(c.awaitText("RAYOS_READY", 0, deadline(10_000), () -> true)).isEqualTo(-1);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
    }
}
