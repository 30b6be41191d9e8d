package dev.rayos.log;

import dev.rayos.log.line.Marker;
import dev.rayos.log.root.BootId;

/**
 * Told when a readiness marker of spec §3 ({@link Marker#READINESS}) has been logged, after the line
 * is durable. The CLI uses it to record the marker in the boot's history file; a listener must not
 * log through the same log system (it runs on the logging thread).
 */
@FunctionalInterface
public interface MarkerListener {
    /**
     * @param monoNanos CLOCK_MONOTONIC when the marker was logged
     * @param utc       RFC 3339 UTC then, or null while the wall clock is not known
     */
    void reached(BootId boot, String marker, long monoNanos, String utc) throws Exception;
}
