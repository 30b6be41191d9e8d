package dev.rayos.log.policy;

import dev.rayos.log.line.LineCodec;
import dev.rayos.log.root.RootLayout;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The policy settings of the bridges ({@code docs/bridges.md}): the syslog socket and its loopback
 * ports, the category of each syslog facility, the forwarding target, and the component of SLF4J
 * logger names. Kept apart from {@link Policy} so the core's own settings stay in one short class;
 * checked as strictly, at load, with the same one-line errors.
 */
public final class BridgeSettings {
    /** The syslog facilities by number (RFC 5424 §6.2.1), as rsyslog and logger(1) name them. */
    public static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
        "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron",
        "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"};

    static final BridgeSettings DEFAULTS = new BridgeSettings(true, null, null, Map.of(), null, null, Map.of());
    private static final Pattern HOST_PORT = Pattern.compile("(127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|localhost|\\[::1\\]):(\\d{1,5})");
    private static final Pattern LOGGER_PREFIX = Pattern.compile("[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*");

    /** A loopback address and port to listen on. */
    public record Endpoint(String host, int port) {}

    private final boolean syslogSocket;
    private final Endpoint syslogTcp;
    private final Endpoint syslogUdp;
    private final Map<String, String> facilityCategory;
    private final URI forwardTarget;
    private final String forwardCaFile;
    private final Map<String, String> slf4jComponents;

    private BridgeSettings(boolean syslogSocket, Endpoint syslogTcp, Endpoint syslogUdp, Map<String, String> facilityCategory,
                           URI forwardTarget, String forwardCaFile, Map<String, String> slf4jComponents) {
        this.syslogSocket = syslogSocket;
        this.syslogTcp = syslogTcp;
        this.syslogUdp = syslogUdp;
        this.facilityCategory = Map.copyOf(facilityCategory);
        this.forwardTarget = forwardTarget;
        this.forwardCaFile = forwardCaFile;
        this.slf4jComponents = Collections.unmodifiableMap(new TreeMap<>(slf4jComponents));
    }

    /** {@code syslog.socket = on|off}: listen on {@code run/rayos/log.sock} (default on). */
    public boolean syslogSocket() {
        return syslogSocket;
    }

    /** {@code syslog.tcp = 127.0.0.1:PORT}, loopback only. */
    public Optional<Endpoint> syslogTcp() {
        return Optional.ofNullable(syslogTcp);
    }

    /** {@code syslog.udp = 127.0.0.1:PORT}, loopback only. */
    public Optional<Endpoint> syslogUdp() {
        return Optional.ofNullable(syslogUdp);
    }

    /** {@code syslog.facility.<name> = <category>}: the category of a facility's lines, if set. */
    public Optional<String> facilityCategory(String facility) {
        return Optional.ofNullable(facilityCategory.get(facility));
    }

    java.util.Collection<String> facilityCategories() {
        return facilityCategory.values();
    }

    /** {@code forward.target = tcp://HOST:PORT | tls://HOST:PORT}. */
    public Optional<URI> forwardTarget() {
        return Optional.ofNullable(forwardTarget);
    }

    /**
     * A forwarding target as {@code forward.target} takes it (also {@code rayos forward --target}).
     *
     * @throws PolicyException when it is not {@code tcp://HOST:PORT} or {@code tls://HOST:PORT}
     */
    public static URI parseForwardTarget(String value) throws PolicyException {
        return Reader.target(0, value);
    }

    /** {@code forward.ca_file}: the CA certificate (PEM) a {@code tls://} collector is checked against. */
    public Optional<String> forwardCaFile() {
        return Optional.ofNullable(forwardCaFile);
    }

    /** {@code slf4j.component.<logger name prefix> = <component>}, by prefix. */
    public Map<String, String> slf4jComponents() {
        return slf4jComponents;
    }

    static boolean isBridgeKey(String key) {
        return key.startsWith("syslog.") || key.startsWith("forward.") || key.startsWith("slf4j.");
    }

    /** Collects settings as the policy file is read; {@link #build()} checks what goes together. */
    static final class Reader {
        private boolean socket = true;
        private Endpoint tcp;
        private Endpoint udp;
        private final Map<String, String> facilities = new TreeMap<>();
        private URI target;
        private String ca;
        private final Map<String, String> slf4j = new TreeMap<>();

        void read(int ln, String key, String value) throws PolicyException {
            if (key.equals("syslog.socket")) {
                socket = onOff(ln, value);
            } else if (key.equals("syslog.tcp")) {
                tcp = endpoint(ln, value);
            } else if (key.equals("syslog.udp")) {
                udp = endpoint(ln, value);
            } else if (key.startsWith("syslog.facility.")) {
                String f = key.substring("syslog.facility.".length());
                if (!java.util.Arrays.asList(FACILITIES).contains(f)) {
                    throw new PolicyException(ln, "'" + LineCodec.printable(f) + "' is not a syslog facility name");
                }
                if (!RootLayout.isCategory(value)) {
                    throw new PolicyException(ln, "'" + LineCodec.printable(value) + "' is not a category name");
                }
                facilities.put(f, value);
            } else if (key.equals("forward.target")) {
                target = target(ln, value);
            } else if (key.equals("forward.ca_file")) {
                if (value.indexOf('\0') >= 0) {
                    throw new PolicyException(ln, "forward.ca_file holds a NUL byte");
                }
                ca = value;
            } else if (key.startsWith("slf4j.component.")) {
                String prefix = key.substring("slf4j.component.".length());
                if (!LOGGER_PREFIX.matcher(prefix).matches()) {
                    throw new PolicyException(ln, "'" + LineCodec.printable(prefix) + "' is not a logger name prefix");
                }
                if (!LineCodec.isComponent(value)) {
                    throw new PolicyException(ln, "'" + LineCodec.printable(value) + "' is not a component name");
                }
                slf4j.put(prefix, value);
            } else {
                throw new PolicyException(ln, "unknown setting '" + LineCodec.printable(key) + "' (see docs/bridges.md)");
            }
        }

        BridgeSettings build() throws PolicyException {
            if (ca != null && (target == null || !target.getScheme().equals("tls"))) {
                throw new PolicyException(0, "forward.ca_file is set but forward.target is not tls://");
            }
            if (target != null && target.getScheme().equals("tls") && ca == null) {
                throw new PolicyException(0, "forward.target is tls:// but forward.ca_file is not set");
            }
            return new BridgeSettings(socket, tcp, udp, facilities, target, ca, slf4j);
        }

        private static boolean onOff(int ln, String v) throws PolicyException {
            switch (v) {
                case "on": return true;
                case "off": return false;
                default: throw new PolicyException(ln, "expected 'on' or 'off', not '" + LineCodec.printable(v) + "'");
            }
        }

        private static Endpoint endpoint(int ln, String v) throws PolicyException {
            var m = HOST_PORT.matcher(v);
            if (!m.matches()) {
                throw new PolicyException(ln, "'" + LineCodec.printable(v)
                        + "' is not a loopback HOST:PORT (127.x.x.x, localhost or [::1])");
            }
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                throw new PolicyException(ln, "port " + port + " is outside 1..65535");
            }
            return new Endpoint(m.group(1), port);
        }

        private static URI target(int ln, String v) throws PolicyException {
            try {
                URI u = new URI(v);
                if (u.getScheme() == null || !(u.getScheme().equals("tcp") || u.getScheme().equals("tls"))
                        || u.getHost() == null || u.getPort() < 1 || u.getPort() > 65535
                        || (u.getPath() != null && !u.getPath().isEmpty()) || u.getQuery() != null || u.getUserInfo() != null) {
                    throw new URISyntaxException(v, "not tcp://HOST:PORT or tls://HOST:PORT");
                }
                return u;
            } catch (URISyntaxException e) {
                throw new PolicyException(ln, "'" + LineCodec.printable(v) + "' is not tcp://HOST:PORT or tls://HOST:PORT");
            }
        }
    }
}
