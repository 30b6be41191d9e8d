package dev.rayos.bridges.syslog;

import java.util.List;

/**
 * One syslog message as parsed from a frame (RFC 5424 or RFC 3164). Absent fields (the NILVALUE
 * {@code -}, or fields RFC 3164 does not have) are {@code null}. Text is decoded from UTF-8 with
 * bad bytes replaced by U+FFFD; nothing here has been checked against the RayOS line grammar yet,
 * that is {@link SyslogMapping}'s job.
 */
record SyslogMessage(Format format, int facility, int severity, String timestamp, String hostname,
                     String appName, String procId, String msgId, List<Param> structuredData, String msg) {

    /** Which RFC the frame followed. */
    enum Format { RFC5424, RFC3164 }

    /** One SD-PARAM of one SD-ELEMENT: {@code [sdId name="value"]}. */
    record Param(String sdId, String name, String value) {}
}
