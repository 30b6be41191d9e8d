package dev.rayos.harness.bridge;

/**
 * The host's answer to one guest event, written to the guest's console input as
 * {@code RAYOS_HOST_ACK:<op>:<ok|err>:<detail>}.
 *
 * @param op     the op as the guest sent it, or {@code invalid} when it could not be read
 * @param ok     whether the op was carried out
 * @param detail the op's result, or the {@link BridgeError#detail()} of the refusal; only
 *               characters of {@link HostBridge#ARG_CHARS}, so an ack can never carry a
 *               newline, a colon or an event marker back into the guest
 */
public record Ack(String op, boolean ok, String detail) {
    public static final String PREFIX = "RAYOS_HOST_ACK:";

    public static Ack ok(String op, String detail) {
        return new Ack(op, true, detail);
    }

    public static Ack err(String op, BridgeError error) {
        return new Ack(op, false, error.detail());
    }

    /** The line sent to the guest (without the line end). */
    public String line() {
        return PREFIX + op + ":" + (ok ? "ok" : "err") + ":" + detail;
    }
}
