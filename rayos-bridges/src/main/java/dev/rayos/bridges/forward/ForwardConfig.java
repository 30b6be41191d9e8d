package dev.rayos.bridges.forward;

import dev.rayos.log.policy.BridgeSettings;
import dev.rayos.log.root.RootLayout;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the forwarder connects to and how: the collector ({@code tcp://} or {@code tls://} with the
 * CA file its certificate must chain to), this machine's name for the messages, the replay window
 * sent again after a break, the longest wait between retries.
 */
public record ForwardConfig(URI target, Path caFile, String hostname, long replayWindow, long maxBackoffMillis) {
    /** Defaults: 8 MiB replayed after a break, retries backing off up to 5 s. */
    public static ForwardConfig of(URI target, Path caFile, String hostname) {
        return new ForwardConfig(target, caFile, hostname, 8L << 20, 5000);
    }

    /**
     * The policy's forwarding ({@code forward.target}, {@code forward.ca_file}), or empty when it
     * names no target; {@code target} (when not null) overrides the policy's.
     */
    public static Optional<ForwardConfig> of(RootLayout layout, BridgeSettings policy, URI target) {
        URI t = target != null ? target : policy.forwardTarget().orElse(null);
        if (t == null) {
            return Optional.empty();
        }
        Path ca = policy.forwardCaFile().map(f -> Path.of(f).isAbsolute() ? Path.of(f) : layout.root().resolve(f)).orElse(null);
        return Optional.of(of(t, ca, localHostname()));
    }

    /** This machine's name, or empty (RFC 5424's NILVALUE) when it cannot be told. */
    static String localHostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
