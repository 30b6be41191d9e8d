package dev.rayos.bridges.syslog;

import dev.rayos.log.EventBuilder;
import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.line.Marker;
import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.Names;
import dev.rayos.log.policy.BridgeSettings;

/**
 * How a syslog message becomes a RayOS line ({@code docs/bridges.md}, "Mapping"): severity → level,
 * facility → category (policy {@code syslog.facility.<name>}, else the component's category),
 * APP-NAME (RFC 3164: the tag) → component made grammar-safe, MSGID → event when it is a valid event
 * name and not a marker (else {@code SYSLOG}), STRUCTURED-DATA → {@code sdid.param=value}, the message
 * → {@code msg=}.
 *
 * <p>Nothing a sender writes can forge a marker or a line: components are lower case (a marker is
 * {@code RAYOS_}), a MSGID that is a marker is only kept as the value {@code msgid=}, and every value
 * goes through the line grammar, which escapes line breaks and the text {@code RAYOS_}.
 */
final class SyslogMapping {
    /** The event of messages without a usable MSGID. */
    static final String EVENT = "SYSLOG";
    /** The component of messages without an APP-NAME. */
    static final String COMPONENT = "syslog";
    private static final Level[] LEVELS = {Level.EMERG, Level.ALERT, Level.CRIT, Level.ERROR, Level.WARN,
        Level.NOTICE, Level.INFO, Level.DEBUG};

    private final LogSystem system;
    private final BridgeSettings settings;

    SyslogMapping(LogSystem system, BridgeSettings settings) {
        this.system = system;
        this.settings = settings;
    }

    static Level level(int severity) {
        return LEVELS[severity];
    }

    static String facility(int facility) {
        return facility < BridgeSettings.FACILITIES.length ? BridgeSettings.FACILITIES[facility] : "local7";
    }

    /** The APP-NAME as a component ({@link Names#component}). */
    static String component(String appName) {
        return Names.component(appName, COMPONENT);
    }

    /** The key of an SD-PARAM: {@code sdid.name} as a key ({@link Names#key}). */
    static String sdKey(String sdId, String name) {
        return Names.key(sdId + "." + name);
    }

    static boolean usableEvent(String msgId) {
        return msgId != null && LineCodec.isEvent(msgId) && !Marker.isMarker(msgId);
    }

    private Logger logger(String component, int facility) {
        return settings.facilityCategory(facility(facility))
                .map(cat -> system.logger(component, cat)).orElseGet(() -> system.logger(component));
    }

    void log(SyslogMessage m, boolean truncated) {
        Logger log = logger(component(m.appName()), m.facility());
        boolean eventOk = usableEvent(m.msgId());
        EventBuilder e = log.at(level(m.severity()), eventOk ? m.msgId() : EVENT);
        e.kv("facility", facility(m.facility()));
        if (m.hostname() != null) {
            e.kv("host", m.hostname());
        }
        if (m.appName() != null && !m.appName().equals(log.component())) {
            e.kv("app", m.appName());
        }
        if (m.procId() != null) {
            e.kv("pid", m.procId());
        }
        if (m.msgId() != null && !eventOk) {
            e.kv("msgid", m.msgId());
        }
        if (m.timestamp() != null) {
            e.kv("sent", m.timestamp());
        }
        for (SyslogMessage.Param p : m.structuredData()) {
            e.kv(sdKey(p.sdId(), p.name()), p.value());
        }
        if (truncated) {
            e.kv("frame_truncated", true);
        }
        e.kv("msg", m.msg() == null ? "" : m.msg()).log();
    }

    /** A frame that breaks RFC 5424: kept whole as {@code msg=}, with the reason, so nothing is lost. */
    void logMalformed(int facility, int severity, String reason, String frame, boolean truncated) {
        EventBuilder e = logger(COMPONENT, facility).at(level(severity), "SYSLOG_MALFORMED")
                .kv("facility", facility(facility)).kv("error", reason);
        if (truncated) {
            e.kv("frame_truncated", true);
        }
        e.kv("msg", frame).log();
    }

    /** Parses a frame and logs it; never throws for the frame's content. */
    void frame(byte[] b, int off, int len, boolean truncated) {
        try {
            log(SyslogParser.parse(b, off, len), truncated);
        } catch (SyslogParseException ex) {
            int pri = SyslogParser.DEFAULT_PRI;
            // the PRI was valid (RFC 5424 is only tried after one), so keep its facility and severity
            int close = -1;
            for (int i = off; i < off + Math.min(len, 5); i++) {
                if (b[i] == '>') {
                    close = i;
                    break;
                }
            }
            if (close > off + 1) {
                pri = Integer.parseInt(new String(b, off + 1, close - off - 1, java.nio.charset.StandardCharsets.US_ASCII));
            }
            logMalformed(pri >> 3, pri & 7, ex.getMessage(), SyslogParser.text(b, off, off + len), truncated);
        }
    }
}
