package dev.rayos.cli;

import dev.rayos.log.LogSystem;
import dev.rayos.log.line.Marker;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.time.LogClock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rayos time-sync}: the wall clock of the current boot became known. */
@Command(name = "time-sync", mixinStandardHelpOptions = true,
        description = "The wall clock became known: log RAYOS_TIME_SYNC mono=<nanos> utc=<ts> and record the pair "
                + "in the boot's history. From then on lines carry UTC (the given time plus the monotonic "
                + "time elapsed since), and readers place the boot's earlier mono lines in UTC through the "
                + "pair, shown with a ~. A later sync in the same boot is a step of the clock: it is logged as "
                + "TIME_STEP with its offset from the time lines carried until then, and lines written after "
                + "it carry the new time; the boot's earlier mono lines are still placed through the first "
                + "sync. A time before 2000 or after 2200 is refused (a clock that was never set). Exit 1 when no "
                + "boot is running or it already ended.",
        footer = {"",
            "Examples:",
            "  rayos time-sync",
            "  rayos time-sync --utc 2025-12-30T15:12:01Z"})
final class TimeSyncCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Option(names = "--utc", paramLabel = "TS",
            description = "The UTC time now, RFC 3339 ending in Z (default: the system clock).")
    String utc;

    private static final long EARLIEST = 946_684_800L * 1_000_000_000L; // 2000-01-01T00:00:00Z
    private static final long LATEST = 7_258_118_400L * 1_000_000_000L; // 2200-01-01T00:00:00Z

    /** The clocks (tests set their own). */
    LogClock clock = LogClock.system();

    @Override
    public Integer call() throws Exception {
        String given = null;
        if (utc != null) {
            try {
                Timestamp t = LineCodec.parseTimestamp(utc);
                if (t.mono()) {
                    throw new UserError("--utc '" + LineCodec.printable(utc) + "' is a mono time, not UTC");
                }
                if (t.nanos() < EARLIEST || t.nanos() > LATEST) {
                    throw new UserError("--utc '" + LineCodec.printable(utc) + "' is not a plausible time now "
                            + "(before 2000 or after 2200): a clock that was never set?");
                }
                given = t.toString();
            } catch (LineParseException e) {
                throw new UserError("--utc '" + LineCodec.printable(utc) + "' is not a UTC time like "
                        + "2025-12-30T15:12:01Z: " + e.getMessage());
            }
        }
        MachineRoot machine = new MachineRoot(parent.machine(), clock);
        BootRecord rec = machine.running("which boot's clock to set");
        long mono;
        String now;
        // The line first, in the boot's old time form: the marker is durable before the history
        // says lines carry UTC. The pair is read just before the line, so the line's own mono time
        // is within microseconds of it.
        try (LogSystem sys = machine.open(rec)) {
            mono = clock.monoNanos();
            now = given;
            if (now == null) {
                long host = clock.utcNanos() / 1000 * 1000;
                if (host < EARLIEST || host > LATEST) {
                    throw new UserError("the system clock says " + Timestamp.utc(host) + ", not a plausible time now "
                            + "(before 2000 or after 2200): give the time with --utc");
                }
                LineBuffer b = new LineBuffer(40);
                LineCodec.appendUtc(b, host);
                now = b.toString();
            }
            BootRecord.TimeSync last = rec.writingPair();
            if (last != null) {
                // a later sync is a step of the clock: say by how much, against the time lines carried
                long before = last.utcNanos() + (mono - last.monoNanos());
                long offset = new BootRecord.TimeSync(mono, now).utcNanos() - before;
                sys.logger("time").warn("TIME_STEP").kv("offset_ns", offset).kv("from", last.utc())
                        .kv("to", now).log();
            }
            sys.logger("time").notice(Marker.TIME_SYNC).kv("mono", mono).kv("utc", now).log();
        }
        machine.boots().timeSync(rec.id(), mono, now);
        return 0;
    }
}
