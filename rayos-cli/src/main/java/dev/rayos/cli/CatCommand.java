package dev.rayos.cli;

import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.Level;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code rayos cat}: every line of standard input becomes one event, its text in {@code msg=}. */
@Command(name = "cat", mixinStandardHelpOptions = true,
        description = "Log each line of standard input as one event of COMPONENT, its text in msg=. Any amount of "
                + "input streams through in constant memory; invalid UTF-8 becomes U+FFFD, and a line longer "
                + "than 16 KiB is logged as several events with part=1, 2, and so on.",
        footer = {"",
            "Examples:",
            "  dmesg | rayos cat kernel --event KMSG",
            "  my-service 2>&1 | rayos cat my-service --level WARN"})
final class CatCommand implements Callable<Integer> {
    static final int PART_BYTES = 16384;

    @ParentCommand
    RayosCommand parent;

    @Option(names = {"-e", "--event"}, paramLabel = "EVENT", defaultValue = "MSG",
            description = "Event name of every line (default: ${DEFAULT-VALUE}).")
    String event;

    @Option(names = {"-l", "--level"}, paramLabel = "LEVEL", defaultValue = "INFO",
            description = "Level of every line (default: ${DEFAULT-VALUE}).")
    String level;

    @Parameters(index = "0", paramLabel = "COMPONENT", description = "Who logs: [a-z][a-z0-9_.-]*.")
    String component;

    /** Where input comes from (standard input; tests set another). */
    InputStream in = System.in;

    @Override
    public Integer call() throws Exception {
        Level lvl = Args.level(level);
        Args.component(component);
        Args.event(event);
        MachineRoot m = new MachineRoot(parent.layout(), LogClock.system());
        BootRecord boot = m.currentOrStart(parent.spec.commandLine().getErr());
        try (LogSystem sys = m.open(boot)) {
            Logger log = sys.logger(component);
            pump(in, log, lvl, event);
            sys.flush();
            NotStored.check(sys);
        }
        return 0;
    }

    /** Reads lines as bytes (no more than PART_BYTES of a line are held) and logs them. */
    static void pump(InputStream in, Logger log, Level lvl, String event) throws IOException {
        byte[] buf = new byte[1 << 16];
        ByteBuffer line = ByteBuffer.allocate(PART_BYTES);
        CharBuffer chars = CharBuffer.allocate(PART_BYTES);
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        int[] part = {0};
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    emit(line, chars, dec, log, lvl, event, part, true);
                } else {
                    if (!line.hasRemaining()) {
                        emit(line, chars, dec, log, lvl, event, part, false);
                    }
                    line.put(b);
                }
            }
        }
        if (line.position() > 0 || part[0] > 0) {
            emit(line, chars, dec, log, lvl, event, part, true);
        }
    }

    private static void emit(ByteBuffer line, CharBuffer chars, CharsetDecoder dec, Logger log, Level lvl,
                             String event, int[] part, boolean endOfLine) {
        line.flip();
        int len = line.limit();
        if (endOfLine && len > 0 && line.get(len - 1) == '\r') {
            line.limit(len - 1);
        }
        chars.clear();
        dec.reset();
        dec.decode(line, chars, endOfLine);
        if (endOfLine) {
            dec.flush(chars);
        }
        line.compact(); // an incomplete UTF-8 sequence at a part boundary stays for the next part
        chars.flip();
        var e = log.at(lvl, event).kv("msg", chars);
        if (part[0] > 0 || !endOfLine) {
            e.kv("part", part[0] + 1);
        }
        e.log();
        part[0] = endOfLine ? 0 : part[0] + 1;
    }
}
