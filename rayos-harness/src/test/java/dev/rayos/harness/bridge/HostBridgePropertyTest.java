package dev.rayos.harness.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a hostile guest prints, the bridge answers one well-formed ack: a known op or
 * {@code invalid}, {@code ok} or a typed error, a detail that cannot carry a newline, colon
 * or marker back. It never throws.
 */
class HostBridgePropertyTest {
    static final Pattern ACK = Pattern.compile("RAYOS_HOST_ACK:([a-z][a-z0-9_]{0,23}):(ok|err):([A-Za-z0-9_.,=+-]*)");
    static final java.util.Set<String> ERRORS = java.util.Arrays.stream(BridgeError.values()).map(BridgeError::detail)
            .collect(java.util.stream.Collectors.toSet());

    final HostBridge bridge = new HostBridge(HostBridge.standardOps(Clock.systemUTC(), s -> { }), Integer.MAX_VALUE, System::nanoTime);

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(600);
        Arbitrary<String> opLike = Arbitraries.of("ping", "echo", "time", "presentation", "exec", "PING", "", "../")
                .flatMap(op -> Arbitraries.strings().withChars("ab:/.$`;\n\r\t\u0000\u001b{}é RAYOS_HOST_EVENT_V0").ofMaxLength(300)
                        .map(arg -> op + ":" + arg));
        Arbitrary<String> huge = Arbitraries.integers().between(250, 10_000).map(n -> "echo:" + "x".repeat(n));
        return Arbitraries.oneOf(any, opLike, huge);
    }

    @Property(tries = 2000)
    void hostilePayloadGetsWellFormedAckAndNeverAnException(@ForAll("hostile") String payload) {
        Ack ack = bridge.handle(payload);
        assertThat(ack.line()).matches(ACK);
        if (!ack.ok()) {
            assertThat(ERRORS).contains(ack.detail());
        }
        assertThat(ack.detail().length()).isLessThanOrEqualTo(HostBridge.MAX_PAYLOAD);
    }

    @Property(tries = 500)
    void hostileLineNeverThrowsAndAcksOnlyLinesWithTheMarker(@ForAll("hostile") String prefix, @ForAll("hostile") String payload) {
        String line = prefix + HostBridge.EVENT_MARKER + payload;
        Ack ack = bridge.onLine(line, false);
        assertThat(ack).isNotNull();
        assertThat(ack.line()).matches(ACK);
        Ack none = bridge.onLine(prefix.replace(HostBridge.EVENT_MARKER, ""), false);
        if (!prefix.replace(HostBridge.EVENT_MARKER, "").contains(HostBridge.EVENT_MARKER)) {
            assertThat(none).isNull();
        }
    }
}
