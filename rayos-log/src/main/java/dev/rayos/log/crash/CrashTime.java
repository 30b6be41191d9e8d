package dev.rayos.log.crash;

import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.Timestamp;
import java.math.BigDecimal;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * When a crash happened, from its own text, in its boot's terms: a kernel crash's printk time is
 * CLOCK_MONOTONIC (the clock mono lines carry), placed in UTC through the boot's clock pair when it
 * has one and left {@code mono:} when the boot never learnt the wall clock; an hs_err log's
 * {@code Time:} line is read when it names its zone. Without either, the time of ingest stands in.
 */
final class CrashTime {
    private static final DateTimeFormatter HS_ERR = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy z", Locale.ROOT);

    private CrashTime() {}

    /** The time of a kernel crash whose first headline was printed at {@code uptime} seconds. */
    static Timestamp kernel(Optional<String> uptime, BootRecord boot, Timestamp fallback) {
        if (uptime.isEmpty()) {
            return fallback;
        }
        long mono;
        try {
            mono = new BigDecimal(uptime.get()).movePointRight(9).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return fallback;
        }
        if (mono < 0) {
            return fallback;
        }
        BootRecord.TimeSync pair = boot == null ? null : boot.clockPair();
        if (pair == null) {
            return boot == null && !fallback.mono() ? fallback : Timestamp.mono(mono);
        }
        // to the microsecond, as the line grammar writes UTC (printk's own resolution)
        return Timestamp.utc((pair.utcNanos() + (mono - pair.monoNanos())) / 1000 * 1000);
    }

    /**
     * The time of a JVM crash from its {@code Time:} line ("Tue Apr 15 10:21:33 2025 UTC elapsed time: …"),
     * or JDK 8's {@code time:} with its {@code timezone:} ("Tue Nov 10 10:20:10 2020 +08").
     */
    static Timestamp jvm(Optional<String> timeLine, Timestamp fallback) {
        if (timeLine.isEmpty()) {
            return fallback;
        }
        String t = timeLine.get();
        int cut = t.indexOf(" elapsed time");
        String when = (cut < 0 ? t : t.substring(0, cut)).strip().replaceAll(" +", " ");
        // JDK <= 8 on Linux names the zone as an offset when it has no abbreviation ("+08")
        when = when.replaceFirst(" ([+-]\\d\\d)$", " GMT$1:00").replaceFirst(" ([+-]\\d\\d):?(\\d\\d)$", " GMT$1:$2");
        try {
            ZonedDateTime z = ZonedDateTime.parse(when.replaceFirst("^(\\w{3} \\w{3}) (\\d) ", "$1  $2 "), HS_ERR);
            long nanos = Math.addExact(Math.multiplyExact(z.toInstant().getEpochSecond(), 1_000_000_000L), z.getNano());
            return nanos < 0 ? fallback : Timestamp.utc(nanos); // before 1970: a clock never set, not a time
        } catch (DateTimeParseException e) {
            return fallback; // a local time without a zone cannot be placed
        } catch (ArithmeticException e) {
            return fallback; // beyond what nanoseconds since 1970 hold (after 2262): not a real crash time
        }
    }
}
