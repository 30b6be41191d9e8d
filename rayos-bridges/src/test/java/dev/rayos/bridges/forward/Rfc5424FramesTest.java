package dev.rayos.bridges.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frame encoder's cost: what it allocates per line (its speed is ForwardThroughput's, in rayos-bench). */
class Rfc5424FramesTest {
    @Test
    void framingALineAllocatesNothingOnceTheBufferHasGrown() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        byte[][] lines = {
            bytes("2026-12-03T12:25:21.184164Z WARN backup SYSLOG facility=daemon msg=\"disk nearly full\""),
            bytes("2026-12-03T12:25:21.123456789Z EMERG kernel PANIC_NOW"),
            bytes("mono:1843220051 INFO kernel RAYOS_KERNEL_START cmdline=\"console=ttyS0 quiet\""),
            bytes("2026-11-27T09:23:37.756064Z INFO app SAID msg=\"ünïcödé\""),
            bytes("not a log line at all"),
        };
        Rfc5424Frames enc = new Rfc5424Frames("vm", "00112233aabbccdd", "boot");
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        String[] boots = {"0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"};
        long seq = 0;
        for (int i = 0; i < 200_000; i++) { // warm up: the boot's bytes cached, the paths compiled
            if (i % 1000 == 0) {
                out.reset();
            }
            byte[] l = lines[i % lines.length];
            enc.append(out, l, 0, l.length, boots[0], ++seq);
        }
        long self = Thread.currentThread().getId();
        int n = 100_000;
        long before = mx.getThreadAllocatedBytes(self);
        for (int i = 0; i < n; i++) {
            if (i % 1000 == 0) {
                out.reset();
            }
            byte[] l = lines[i % lines.length];
            enc.append(out, l, 0, l.length, boots[0], ++seq);
        }
        long after = mx.getThreadAllocatedBytes(self);
        assertThat(after - before).as("bytes allocated framing " + n + " lines").isLessThan(n / 100);
        out.reset();
        enc.append(out, lines[0], 0, lines[0].length, boots[1], 1);
        assertThat(out.toString(StandardCharsets.UTF_8)).as("a new boot's frames name it").contains("boot=\"" + boots[1] + "\"");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
