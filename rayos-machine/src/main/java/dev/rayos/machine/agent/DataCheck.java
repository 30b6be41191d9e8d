package dev.rayos.machine.agent;

import dev.rayos.log.EventBuilder;
import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.machine.disk.FsckOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data partition's check that {@code /init} ran before mounting it ({@code e2fsck -p};
 * docs/boot-and-recovery.md, "The data partition's check"), logged in this boot's log: e2fsck's
 * output lines as events {@code e2fsck OUTPUT msg=…}, then the marker {@code RAYOS_DATA_CHECK}
 * (on the serial line, and fsync'd once the partition is mounted). /init leaves its record in
 * {@link MachinePaths#dataCheck()}: {@code STATUS START END}, e2fsck's exit status and
 * {@code /proc/uptime} before and after it. No record (a test root, an image without the check):
 * nothing is logged.
 */
public final class DataCheck {
    /** The event's name. */
    static final String MARKER = "RAYOS_DATA_CHECK";
    /** e2fsck's lines logged at most; the rest is counted. */
    static final int MAX_LINES = 200;
    private static final int MAX_RECORD = 128;
    private static final Pattern RECORD = Pattern.compile("([0-9]{1,3}) ([0-9]{1,9})\\.([0-9]{2}) ([0-9]{1,9})\\.([0-9]{2})\n?");

    /** /init's record: e2fsck's exit status and how long it ran. */
    public record Record(int status, long millis) {
        public FsckOutcome outcome() {
            return FsckOutcome.of(status);
        }
    }

    /** A record that is not what /init writes. */
    public static final class BadRecord extends Exception {
        BadRecord(String message) {
            super(message);
        }
    }

    private DataCheck() {}

    /** Reads /init's record: {@code STATUS START END} with times as {@code /proc/uptime} gives them. */
    static Record parse(String text) throws BadRecord {
        if (text.length() > MAX_RECORD) {
            throw new BadRecord("longer than " + MAX_RECORD + " characters");
        }
        Matcher m = RECORD.matcher(text);
        if (!m.matches()) {
            throw new BadRecord("not 'STATUS START END' (an exit status and two /proc/uptime readings)");
        }
        int status = Integer.parseInt(m.group(1));
        if (status > 255) {
            throw new BadRecord("exit status " + status + " is over 255");
        }
        long start = Long.parseLong(m.group(2)) * 1000 + Long.parseLong(m.group(3)) * 10;
        long end = Long.parseLong(m.group(4)) * 1000 + Long.parseLong(m.group(5)) * 10;
        if (end < start) {
            throw new BadRecord("it ended before it started");
        }
        return new Record(status, end - start);
    }

    /** The check /init ran at this boot on the machine at {@code paths}; empty when none or unreadable. */
    public static java.util.Optional<Record> read(MachinePaths paths) {
        try {
            return java.util.Optional.of(parse(new String(Files.readAllBytes(paths.dataCheck()), StandardCharsets.US_ASCII)));
        } catch (IOException | BadRecord e) {
            return java.util.Optional.empty();
        }
    }

    /** Logs the check /init ran at this boot, if it ran one. */
    static void log(LogSystem sys, MachinePaths paths) {
        Logger agent = sys.logger("agent");
        String text;
        try {
            byte[] b = Files.readAllBytes(paths.dataCheck());
            text = new String(b, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException none) {
            return;
        } catch (IOException e) {
            agent.warn(MARKER).kv("result", "unknown").kv("error", String.valueOf(e.getMessage())).log();
            return;
        }
        String device = firstLine(paths.dataDevice());
        Record r;
        try {
            r = parse(text);
        } catch (BadRecord e) {
            agent.warn(MARKER).kv("device", device).kv("result", "unknown").kv("error", "record " + paths.dataCheck()
                    + ": " + e.getMessage()).log();
            return;
        }
        output(sys.logger("e2fsck"), paths.dataCheckOutput());
        FsckOutcome o = r.outcome();
        EventBuilder e = switch (o) {
            case CLEAN -> agent.info(MARKER);
            case CORRECTED, REBOOT -> agent.warn(MARKER);
            case UNCORRECTED, FAILED -> agent.crit(MARKER);
        };
        boolean mounted = mounted(paths);
        e.kv("device", device).kv("result", o.id()).kv("exit", r.status()).kv("ms", r.millis()).kv("mounted", mounted);
        if (!mounted && !o.mountable()) {
            e.kv("then", "recovery").kv("detail", o.meaning() + ": not mounted; this recovery boot runs in RAM, "
                    + "rayos repair runs e2fsck -y when asked");
        } else {
            e.kv("detail", o.meaning());
        }
        e.log();
    }

    private static void output(Logger e2fsck, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            return;
        }
        for (int i = 0; i < Math.min(lines.size(), MAX_LINES); i++) {
            String l = lines.get(i);
            e2fsck.info("OUTPUT").kv("msg", l.length() > 4000 ? l.substring(0, 4000) : l).log();
        }
        if (lines.size() > MAX_LINES) {
            e2fsck.info("OUTPUT").kv("msg", "(" + (lines.size() - MAX_LINES) + " more lines not logged)").log();
        }
    }

    /** True when the data directory is a mount point (another device than the root's). */
    public static boolean mounted(MachinePaths paths) {
        try {
            Object data = Files.getAttribute(paths.root().resolve("var/rayos"), "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Object root = Files.getAttribute(paths.root(), "unix:dev", LinkOption.NOFOLLOW_LINKS);
            return !data.equals(root);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String firstLine(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
            int nl = s.indexOf('\n');
            s = nl < 0 ? s : s.substring(0, nl);
            return s.length() > 256 ? s.substring(0, 256) : s;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
