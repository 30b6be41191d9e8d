package dev.rayos.harness.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class HostBridgeVectorsTest {
    static final Path VECTORS = Path.of(System.getProperty("rayos.repo", ".."), "docs", "host-bridge-vectors.txt");

    record Vector(int lineNo, String payload, String ack) {}

    static List<Vector> vectors() throws IOException {
        List<Vector> v = new ArrayList<>();
        List<String> lines = Files.readAllLines(VECTORS, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            int tab = l.lastIndexOf('\t');
            v.add(new Vector(i + 1, unescape(l.substring(0, tab)), unescape(l.substring(tab + 1))));
        }
        return v;
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char n = s.charAt(++i);
                switch (n) {
                    case 't' -> b.append('\t');
                    case 'x' -> {
                        b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> b.append(n);
                }
            } else if (c == '{') {
                int end = s.indexOf('}', i);
                String[] rep = s.substring(i + 1, end).split("\\*", 2);
                b.append(rep[1].repeat(Integer.parseInt(rep[0])));
                i = end;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static HostBridge bridge() {
        Clock fixed = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
        return new HostBridge(HostBridge.standardOps(fixed, s -> { }), Integer.MAX_VALUE, System::nanoTime);
    }

    @TestFactory
    Stream<DynamicTest> everyVectorGetsItsDocumentedAck() throws IOException {
        return vectors().stream().map(v -> DynamicTest.dynamicTest("line " + v.lineNo(), () ->
                assertThat(bridge().handle(v.payload()).line()).as("payload %s", v.payload()).isEqualTo(v.ack())));
    }

    @Test
    void vectorsFileCoversEveryErrorType() throws IOException {
        List<String> acks = vectors().stream().map(Vector::ack).toList();
        for (BridgeError e : new BridgeError[] {BridgeError.TOO_LONG, BridgeError.MALFORMED, BridgeError.BAD_ARG, BridgeError.UNKNOWN_OP}) {
            assertThat(acks).anyMatch(a -> a.endsWith(":err:" + e.detail()));
        }
    }

    @Test
    void eventIsFoundAfterKernelOutputOnTheSameLine() {
        Ack a = bridge().onLine("[    3.120000] random: crng init doneRAYOS_HOST_EVENT_V0:ping", false);
        assertThat(a.line()).isEqualTo("RAYOS_HOST_ACK:ping:ok:pong");
    }

    @Test
    void lineWithoutEventGetsNoAck() {
        assertThat(bridge().onLine("RAYOS_READY mode=bicameral", false)).isNull();
        assertThat(bridge().onLine("RAYOS_HOST_ACK:ping:ok:pong", false)).isNull();
    }

    @Test
    void lineCutByTheConsoleIsTooLong() {
        assertThat(bridge().onLine("RAYOS_HOST_EVENT_V0:ping", true).line()).isEqualTo("RAYOS_HOST_ACK:invalid:err:too_long");
    }

    @Test
    void eventsBeyondTheRateLimitAreRefusedUntilTheNextSecond() {
        long[] now = {0};
        HostBridge b = new HostBridge(HostBridge.standardOps(Clock.systemUTC(), s -> { }), 3, () -> now[0]);
        assertThat(b.handle("ping").ok()).isTrue();
        assertThat(b.handle("ping").ok()).isTrue();
        assertThat(b.handle("ping").ok()).isTrue();
        assertThat(b.handle("ping").line()).isEqualTo("RAYOS_HOST_ACK:invalid:err:rate_limited");
        now[0] = 1_000_000_000L;
        assertThat(b.handle("ping").ok()).isTrue();
    }

    @Test
    void handlerThatThrowsIsAnsweredHandlerFailed() {
        HostBridge b = new HostBridge(java.util.Map.of("boom", arg -> { throw new IllegalStateException("bug"); },
                "bad", arg -> "has space"), 10, System::nanoTime);
        assertThat(b.handle("boom").line()).isEqualTo("RAYOS_HOST_ACK:boom:err:handler_failed");
        assertThat(b.handle("bad").line()).isEqualTo("RAYOS_HOST_ACK:bad:err:handler_failed");
    }
}
