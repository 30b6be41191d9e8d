package dev.rayos.bridges.forward;

import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * What the running forwarder says of itself in {@code run/rayos/forward.state}, for {@code rayos
 * forward --status} ({@code docs/bridges.md}, "Who forwards"): its process, who runs it (the boot
 * agent or {@code rayos forward}), its target, and whether the collector takes its lines
 * ({@code up}), refuses or breaks ({@code down}), or it stopped, since when. One line, written
 * atomically at each change; {@code run/} is volatile, so a new boot starts without one.
 *
 * <pre>rayos-forward-state/1 pid=4242 by=agent state=up target=tcp://logs.example.net:514 since=2026-12-06T14:00:00.123Z crc=HEX8</pre>
 */
public record ForwardState(long pid, String by, String state, String target, String since) {
    static final String MAGIC = "rayos-forward-state/1";
    /** The states: before the first pass, the last pass reached the collector, the last failed, stopped. */
    public static final java.util.List<String> STATES = java.util.List.of("starting", "up", "down", "stopped");
    private static final Pattern LINE = Pattern.compile(MAGIC + " pid=([1-9][0-9]{0,9}) by=([a-z][a-z-]{0,15}) state=(\\w+)"
            + " target=((?:tcp|tls)://[!-~]{1,300}) since=(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?Z) crc=([0-9a-f]{8})");

    /** Thrown for a state file that is not one whole state line. */
    public static final class DamagedException extends Exception {
        private static final long serialVersionUID = 1L;

        DamagedException(String why) {
            super(why);
        }
    }

    byte[] encode() {
        String body = MAGIC + " pid=" + pid + " by=" + by + " state=" + state + " target=" + target + " since=" + since;
        return (body + " crc=" + crc(body) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    static ForwardState parse(byte[] data) throws DamagedException {
        if (data.length == 0 || data.length > 512 || data[data.length - 1] != '\n') {
            throw new DamagedException(data.length > 512 ? "longer than 512 bytes" : "not one line ending in a line feed (torn)");
        }
        String text = new String(data, 0, data.length - 1, StandardCharsets.ISO_8859_1);
        Matcher m = LINE.matcher(text);
        if (!m.matches()) {
            throw new DamagedException("not a forwarder state (" + MAGIC + " pid= by= state= target= since= crc=)");
        }
        if (!crc(text.substring(0, text.lastIndexOf(" crc="))).equals(m.group(6))) {
            throw new DamagedException("checksum does not match");
        }
        if (!STATES.contains(m.group(3))) {
            throw new DamagedException("state " + m.group(3) + " is not one of " + STATES);
        }
        return new ForwardState(Long.parseLong(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5));
    }

    /** Replaces the machine's state file with this one (temp file, fsync, rename). */
    void write(RootLayout layout) throws IOException {
        Path f = layout.forwardState();
        Files.createDirectories(f.getParent());
        layout.requireInside(f.getParent());
        AtomicFiles.write(f, encode());
    }

    /** The state file of the machine, if a forwarder has run on this boot. */
    public static Optional<ForwardState> read(RootLayout layout) throws IOException, DamagedException {
        Optional<byte[]> data;
        try {
            data = AtomicFiles.readSmall(layout.forwardState(), 1024);
        } catch (java.nio.file.FileSystemException notRegular) {
            throw new DamagedException("not a regular file");
        }
        return data.isEmpty() ? Optional.empty() : Optional.of(parse(data.get()));
    }

    /** Whether the process that wrote this is still running (and so this says what is happening now). */
    public boolean alive() {
        return !state.equals("stopped") && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** One line for people: who forwards where, and how it goes. */
    public String describe() {
        String who = by.equals("agent") ? "the boot agent" : "rayos " + by;
        if (state.equals("stopped")) {
            return "not running: " + who + " (pid " + pid + ") stopped forwarding to " + target + " at " + since;
        }
        if (!alive()) {
            return "not running: " + who + " (pid " + pid + ") ended without stopping; it was " + state + " since " + since
                    + " (" + target + ")";
        }
        return "running in " + who + " (pid " + pid + "), " + target + " " + state + " since " + since;
    }

    private static String crc(String body) {
        CRC32 c = new CRC32();
        c.update(body.getBytes(StandardCharsets.ISO_8859_1));
        return String.format("%08x", c.getValue());
    }
}
