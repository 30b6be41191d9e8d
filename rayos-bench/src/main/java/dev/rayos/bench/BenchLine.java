package dev.rayos.bench;

import java.nio.charset.StandardCharsets;

/**
 * The one line every contender writes, so that the bytes reaching the files are the same for all:
 *
 * <pre>
 * 2026-11-27T09:30:12.345678Z INFO kernel EVENT t=0 n=1234567 k=v k2=v2 k3=v3 k4=v4 k5=v5 k6=v6 k7=v7
 * </pre>
 *
 * About 100 bytes with its line feed. {@code t} is the producer thread, {@code n} its own line
 * counter from 0: together they let {@link OutputCheck} prove every line arrived once, in order.
 */
public final class BenchLine {
    public static final String COMPONENT = "kernel";
    public static final String EVENT = "EVENT";
    /** The fixed pairs after {@code t} and {@code n}, as the RayOS API takes them. */
    public static final String[][] FIXED = {
            {"k", "v"}, {"k2", "v2"}, {"k3", "v3"}, {"k4", "v4"}, {"k5", "v5"}, {"k6", "v6"}, {"k7", "v7"}};
    /** The same pairs as message text. */
    public static final String FIXED_TEXT = " k=v k2=v2 k3=v3 k4=v4 k5=v5 k6=v6 k7=v7";
    /** The message of the parameterised APIs (Log4j2, Logback): the line after the logger name. */
    public static final String TEMPLATE = EVENT + " t={} n={}" + FIXED_TEXT;
    /** What follows the 27-byte timestamp up to {@code t=}. */
    public static final String HEAD = " INFO " + COMPONENT + " " + EVENT + " t=";
    public static final byte[] HEAD_BYTES = HEAD.getBytes(StandardCharsets.US_ASCII);
    /** {@link #HEAD} of the ERROR storm, where every line is logged at ERROR. */
    public static final String ERROR_HEAD = " ERROR " + COMPONENT + " " + EVENT + " t=";
    public static final byte[] ERROR_HEAD_BYTES = ERROR_HEAD.getBytes(StandardCharsets.US_ASCII);

    /** The head of a line at {@code level}: INFO (the throughput runs) or ERROR (the storm). */
    public static byte[] headBytes(String level) {
        switch (level) {
            case "INFO":
                return HEAD_BYTES;
            case "ERROR":
                return ERROR_HEAD_BYTES;
            default:
                throw new IllegalArgumentException("level " + level + " (INFO or ERROR)");
        }
    }
    public static final byte[] FIXED_BYTES = FIXED_TEXT.getBytes(StandardCharsets.US_ASCII);
    /** Length of {@code 2026-11-27T09:30:12.345678Z}. */
    public static final int TS_LEN = 27;

    /** Pattern of the same line for Log4j2's PatternLayout (UTC, microseconds). */
    public static final String LOG4J2_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'}{UTC} %level %c %m%n";
    /** Pattern of the same line for Logback's PatternLayoutEncoder (UTC; Logback has milliseconds, zero-padded). */
    public static final String LOGBACK_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z',UTC} %level %logger %msg%n";

    private BenchLine() {}
}
