package dev.rayos.bridges.syslog;

/** A frame that claims RFC 5424 (or has a PRI) but breaks its grammar; the message says where. */
final class SyslogParseException extends Exception {
    SyslogParseException(String what) {
        super(what);
    }
}
