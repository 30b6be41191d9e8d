package dev.rayos.harness;

/**
 * Why a machine stopped being watched before (or instead of) meeting its expectations.
 *
 * @param outcome     the outcome it maps to
 * @param reason      short, machine-readable ({@code qmp_timeout}, {@code pattern=...}, {@code exit=0})
 * @param atNanos     the run's monotonic clock ({@link dev.rayos.log.time.LogClock#monoNanos()}) when it was decided
 */
public record Ending(Outcome outcome, String reason, long atNanos) {}
