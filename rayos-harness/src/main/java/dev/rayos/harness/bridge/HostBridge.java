package dev.rayos.harness.bridge;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The host side of the desktop bridge (spec §3): reads {@code RAYOS_HOST_EVENT_V0:<payload>}
 * from the guest's console, runs the op, and returns the ack to write back.
 *
 * <p>Everything here is untrusted guest input and the bridge is no security boundary, so
 * the protocol is small on purpose: the payload is at most {@value #MAX_PAYLOAD} characters,
 * the op is a short lower-case word looked up in a fixed table (nothing reaches a shell, a
 * path or a class name), the argument is a restricted character set, events are rate
 * limited, and every failure is a typed {@link BridgeError} answered as {@code err}. A
 * handler that throws is answered {@code err:handler_failed}; the bridge never throws.
 *
 * <p>Grammar and ops: {@code docs/host-bridge.md}; vectors: {@code docs/host-bridge-vectors.txt}.
 */
public final class HostBridge {
    /** The marker that starts an event; the payload is the rest of the console line. */
    public static final String EVENT_MARKER = "RAYOS_HOST_EVENT_V0:";
    /** Longest payload (op, colon and argument) accepted. */
    public static final int MAX_PAYLOAD = 256;
    /** Characters allowed in an argument and in an ack detail. */
    public static final String ARG_CHARS = "A-Z a-z 0-9 _ . , = + -";
    /** The op field of an ack whose op could not be read. */
    public static final String INVALID_OP = "invalid";

    private static final Pattern OP = Pattern.compile("[a-z][a-z0-9_]{0,23}");
    private static final Pattern ARG = Pattern.compile("[A-Za-z0-9_.,=+-]*");

    private final Map<String, HostOp> ops;
    private final int maxPerSecond;
    private final LongSupplier nanoTime;
    private long windowStart;
    private int inWindow;

    /**
     * @param ops          the op table (copied)
     * @param maxPerSecond events answered per second; the rest get {@code err:rate_limited}
     * @param nanoTime     monotonic clock (tests pass their own)
     */
    public HostBridge(Map<String, HostOp> ops, int maxPerSecond, LongSupplier nanoTime) {
        this.ops = Map.copyOf(ops);
        this.maxPerSecond = maxPerSecond;
        this.nanoTime = Objects.requireNonNull(nanoTime);
        this.windowStart = nanoTime.getAsLong();
    }

    /**
     * The v0 ops: {@code ping} → {@code pong}; {@code echo:<text>} → the text;
     * {@code time} → host UTC in epoch milliseconds; {@code presentation:on|off} → the state,
     * passed to {@code presentation}.
     */
    public static Map<String, HostOp> standardOps(Clock clock, Consumer<String> presentation) {
        Map<String, HostOp> ops = new LinkedHashMap<>();
        ops.put("ping", arg -> {
            if (!arg.isEmpty()) {
                throw new HostOp.Refused(BridgeError.BAD_ARG);
            }
            return "pong";
        });
        ops.put("echo", arg -> arg);
        ops.put("time", arg -> {
            if (!arg.isEmpty()) {
                throw new HostOp.Refused(BridgeError.BAD_ARG);
            }
            return Long.toString(clock.millis());
        });
        ops.put("presentation", arg -> {
            if (!arg.equals("on") && !arg.equals("off")) {
                throw new HostOp.Refused(BridgeError.BAD_ARG);
            }
            presentation.accept(arg);
            return arg;
        });
        return ops;
    }

    /**
     * Looks for an event on one console line.
     *
     * @param line the line (without its end)
     * @param cut  whether the console cut the line for length (its payload is then too long)
     * @return the ack to send, or {@code null} when the line carries no event
     */
    public synchronized Ack onLine(String line, boolean cut) {
        int at = line.indexOf(EVENT_MARKER);
        if (at < 0) {
            return null;
        }
        String payload = line.substring(at + EVENT_MARKER.length());
        if (cut) {
            return Ack.err(INVALID_OP, BridgeError.TOO_LONG);
        }
        return handle(payload);
    }

    /** Answers one payload (the text after the event marker). Never throws. */
    public synchronized Ack handle(String payload) {
        if (!admit()) {
            return Ack.err(INVALID_OP, BridgeError.RATE_LIMITED);
        }
        if (payload.length() > MAX_PAYLOAD) {
            return Ack.err(INVALID_OP, BridgeError.TOO_LONG);
        }
        int colon = payload.indexOf(':');
        String op = colon < 0 ? payload : payload.substring(0, colon);
        String arg = colon < 0 ? "" : payload.substring(colon + 1);
        if (!OP.matcher(op).matches()) {
            return Ack.err(INVALID_OP, BridgeError.MALFORMED);
        }
        if (!ARG.matcher(arg).matches()) {
            return Ack.err(op, BridgeError.BAD_ARG);
        }
        HostOp handler = ops.get(op);
        if (handler == null) {
            return Ack.err(op, BridgeError.UNKNOWN_OP);
        }
        try {
            String detail = handler.apply(arg);
            if (detail == null || detail.length() > MAX_PAYLOAD || !ARG.matcher(detail).matches()) {
                return Ack.err(op, BridgeError.HANDLER_FAILED);
            }
            return Ack.ok(op, detail);
        } catch (HostOp.Refused r) {
            return Ack.err(op, r.error());
        } catch (RuntimeException e) {
            // a broken handler must not take the harness down with it
            return Ack.err(op, BridgeError.HANDLER_FAILED);
        }
    }

    private boolean admit() {
        long now = nanoTime.getAsLong();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            inWindow = 0;
        }
        if (inWindow < Integer.MAX_VALUE) {
            inWindow++;
        }
        return inWindow <= maxPerSecond;
    }
}
