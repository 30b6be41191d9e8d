package dev.rayos.harness.bridge;

/**
 * What the host does for one op. The argument has already passed the protocol's checks
 * (length and character set); the op validates its meaning.
 */
@FunctionalInterface
public interface HostOp {
    /**
     * Carries out the op.
     *
     * @param arg the text after {@code op:}, or the empty string when there was none
     * @return the ack detail; it must use only {@link HostBridge#ARG_CHARS}, else the
     *         guest gets {@code err:handler_failed}
     * @throws Refused to answer {@code err} with a typed reason (typically {@code BAD_ARG})
     */
    String apply(String arg) throws Refused;

    /** A deliberate refusal, answered as {@code err:<error>}. */
    final class Refused extends Exception {
        private final BridgeError error;

        public Refused(BridgeError error) {
            super(error.detail(), null, false, false);
            this.error = error;
        }

        public BridgeError error() {
            return error;
        }
    }
}
