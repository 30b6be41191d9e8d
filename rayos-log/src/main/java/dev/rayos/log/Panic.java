package dev.rayos.log;

import dev.rayos.log.line.Marker;
import dev.rayos.log.root.ProcessId;
import dev.rayos.log.boot.BuildInfo;
import dev.rayos.log.console.Framebuffer;
import dev.rayos.log.crash.CrashRecords;
import dev.rayos.log.crash.CrashReport;
import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.RootLayout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A RayOS component's panic (spec §4.1, §4.2; {@code docs/crash-report.md}, "Panics"):
 * {@code Panic.of(log, "vm.supervisor").panic("guest memory map lost", "fault_address=0x7f00")}.
 *
 * <p>In order, each step on its own so that one failing does not stop the next:
 * <ol>
 *   <li>a banner of at most 10 lines (what, where, boot, where the report goes) written straight
 *       to the serial console, returning only when the device has it; then drawn on the
 *       framebuffer when one is configured ({@code crash.framebuffer}) and present;</li>
 *   <li>a {@link CrashReport} ({@code source=rayos}): boot id, version and build id, reason, the
 *       stack, the details given, and the last N lines of the ring (policy {@code
 *       crash.last_lines});</li>
 *   <li>when the store is mounted and {@code crash/panics/} is there, the report is written
 *       atomically and fsync'd ({@link CrashRecords#write}), the boot's history is marked
 *       crashed; otherwise — or when the write fails — the report goes into the ring as a
 *       {@link RingFormat#TYPE_CRASH} record, which the store writes out once it can (this
 *       process after {@link LogSystem#mount()}, or the next start);</li>
 *   <li>the marker {@code RAYOS_PANIC} at {@code EMERG}, durable like every marker.</li>
 * </ol>
 *
 * <p>A panic never throws and never stops the process itself: {@link #panic} returns what it
 * did, and the caller (or {@link #installAsUncaughtExceptionHandler}) decides what comes next.
 * A panic raised while the same thread is panicking (the panic path failing in a way that
 * panics) only prints one line to stderr.
 */
public final class Panic {
    /** The exit status of a process halted by {@link #installAsUncaughtExceptionHandler}: EX_SOFTWARE. */
    public static final int EXIT_STATUS = 70;
    /** Longest text of one banner line; the reason is cut to fit (the report has it whole). */
    static final int BANNER_WIDTH = 160;
    private static final ThreadLocal<Boolean> PANICKING = ThreadLocal.withInitial(() -> false);

    /**
     * What a panic did.
     *
     * @param report      the report (null only when even building it failed)
     * @param file        the report file written, or null when the report went into the ring
     * @param inRing      true when the report is held in the ring for the store to write out
     * @param banner      the banner lines shown
     * @param durableAt   the log system's monotonic clock ({@link dev.rayos.log.time.LogClock#monoNanos}) when the report was safe (fsync'd, or in the ring)
     * @param problems    what went wrong on the way (console, framebuffer, write, history), if anything
     */
    public record Outcome(CrashReport report, Path file, boolean inRing, List<String> banner, long durableAt,
                          List<String> problems) {}

    private final LogSystem log;
    private final String component;

    private Panic(LogSystem log, String component) {
        this.log = log;
        this.component = component;
    }

    /**
     * The panic of one component on a log system.
     *
     * @throws IllegalArgumentException when {@code component} is not a component name
     */
    public static Panic of(LogSystem log, String component) {
        LineCodec.requireComponent(component);
        return new Panic(log, component);
    }

    /**
     * Panics with the calling thread's stack. {@code details} are {@code key=value}: {@code
     * fault_address}, {@code error_code}, {@code location}, {@code kind} fill those header keys
     * ({@code 0x} hex for the first two); {@code reg.NAME=value} is a register (for a source that
     * has them: a trap frame read by a driver; a JVM panic has none); any other key is an
     * attribute. A detail that fits none of these is kept as {@code detail_N}.
     */
    public Outcome panic(String reason, String... details) {
        List<String> stack = new ArrayList<>();
        boolean inside = true;
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            // drop getStackTrace and this class's own frames: the stack starts at the caller
            if (inside && (e.getClassName().equals(Thread.class.getName())
                    || e.getClassName().equals(Panic.class.getName()))) {
                continue;
            }
            inside = false;
            stack.add(e.toString());
        }
        return run(reason, "panic", stack, stack.isEmpty() ? null : stack.get(0), "panic", details);
    }

    /** Panics because of {@code cause}: its class is the kind, its stack (with causes) the stack. */
    public Outcome panic(String reason, Throwable cause, String... details) {
        return run(reason, cause.getClass().getName(), stackOf(cause), topFrame(cause), "panic", details);
    }

    /** The panic of an exception nobody caught: what the uncaught-exception handler calls. */
    public Outcome uncaught(Thread thread, Throwable e) {
        String msg = e.getMessage();
        String reason = "uncaught " + e.getClass().getName() + (msg == null ? "" : ": " + msg)
                + " in thread \"" + thread.getName() + "\"";
        return run(reason, e.getClass().getName(), stackOf(e), topFrame(e), "uncaught_exception", new String[0]);
    }

    /**
     * Makes {@link #uncaught} the JVM's default uncaught-exception handler; with {@code halt}, the
     * process then stops at once ({@link Runtime#halt}, status {@value #EXIT_STATUS}): a component
     * in an unknown state does not go on, and shutdown hooks could block on the very thing that
     * failed. The ring stays on disk and the next start writes out anything it still holds.
     *
     * @return the handler replaced (null when there was none)
     */
    public Thread.UncaughtExceptionHandler installAsUncaughtExceptionHandler(boolean halt) {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            try {
                uncaught(t, e);
            } catch (Throwable ignored) {
                // uncaught() never throws by design; an Error here must still reach halt()
            } finally {
                if (halt) {
                    Runtime.getRuntime().halt(EXIT_STATUS);
                }
            }
        });
        return before;
    }

    private Outcome run(String reason, String kind, List<String> stack, String location, String origin,
                        String[] details) {
        if (PANICKING.get()) {
            System.err.println("rayos: panic while panicking: " + oneLine(String.valueOf(reason)));
            return new Outcome(null, null, false, List.of(), log.clock().monoNanos(), List.of("panic while panicking"));
        }
        PANICKING.set(true);
        try {
            return runOnce(reason == null || reason.isBlank() ? "panic" : reason, kind, stack, location, origin,
                    details);
        } finally {
            PANICKING.set(false);
        }
    }

    private Outcome runOnce(String reason, String kind, List<String> stack, String location, String origin,
                            String[] details) {
        List<String> problems = new ArrayList<>();
        RootLayout layout = log.layout();
        Path target = layout.crashReport(log.boot());
        boolean toFile = log.ring().isMounted() && Files.isDirectory(layout.crashPanicsDir());
        String where = toFile ? layout.relative(target)
                : "held in the ring " + layout.relative(log.ring().path()) + " until the data partition is there";
        List<String> banner = banner(reason, location, where);

        // 1. the banner: console first (it must be there before the process may die), then the screen
        try {
            log.writeConsoleNow(String.join("\n", banner).concat("\n").getBytes(StandardCharsets.UTF_8));
        } catch (Throwable e) {
            problems.add("console: " + e);
            System.err.println(String.join("\n", banner));
        }
        try {
            Optional<Framebuffer> fb = Framebuffer.find(layout, log.policy().crashFramebuffer());
            if (fb.isPresent()) {
                fb.get().drawBanner(banner);
            }
        } catch (Throwable e) {
            problems.add("framebuffer: " + e);
        }

        // 2. the report
        CrashReport report;
        try {
            report = report(reason, kind, stack, location, origin, details, problems);
        } catch (Throwable e) {
            problems.add("report: " + e);
            report = minimalReport(reason, e);
        }

        // 3. the file, else the ring
        Path file = null;
        long durableAt = 0;
        if (toFile) {
            try {
                file = CrashRecords.write(layout, report);
                durableAt = log.clock().monoNanos();
            } catch (Throwable e) {
                problems.add("report file: " + e);
                // the outcome before the cause: the console line is cut at the banner's width
                consoleLine("report: could not write " + layout.relative(target) + "; held in the ring instead ("
                        + oneLine(e.toString()) + ")");
            }
        }
        boolean inRing = false;
        if (file == null) {
            try {
                int max = (int) Math.min(RingFormat.MAX_PAYLOAD, log.ring().capacity() / 4);
                log.writeCrashRecord(CrashRecords.encode(report, max));
                durableAt = log.clock().monoNanos();
                inRing = true;
            } catch (Throwable e) {
                problems.add("ring: " + e);
            }
        } else {
            try {
                CrashRecords.markCrashed(layout, log.clock(), log.boot(), file, true);
            } catch (Throwable e) {
                problems.add("history: " + e);
            }
        }

        // 4. the marker
        try {
            log.logger(component).at(Level.EMERG, Marker.PANIC).kv("reason", oneLine(reason))
                    .kv("kind", kind).kv("report", file != null ? layout.relative(file) : inRing ? "ring" : "lost")
                    .log();
        } catch (Throwable e) {
            problems.add("marker: " + e);
        }
        return new Outcome(report, file, inRing, banner, durableAt, List.copyOf(problems));
    }

    /** The banner: at most 10 lines, each at most {@value #BANNER_WIDTH} characters, printable. */
    List<String> banner(String reason, String location, String where) {
        String rule = "=".repeat(72);
        List<String> b = new ArrayList<>();
        b.add("==== RayOS panic " + rule.substring(17));
        b.add(cut("what:   " + oneLine(reason)));
        if (location != null) {
            b.add(cut("where:  " + oneLine(location) + " (component " + component + ", thread "
                    + oneLine(Thread.currentThread().getName()) + ")"));
        }
        b.add(cut("boot:   " + log.boot().hex() + " (rayos " + BuildInfo.version() + ", build " + BuildInfo.buildId() + ")"));
        b.add(cut("report: " + where));
        b.add(rule);
        return b;
    }

    private void consoleLine(String text) {
        try {
            log.writeConsoleNow((cut(oneLine(text)) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (Throwable e) {
            System.err.println(text);
        }
    }

    private CrashReport report(String reason, String kind, List<String> stack, String location, String origin,
                               String[] details, List<String> problems) {
        CrashReport.Builder b = CrashReport.builder(log.boot(), now(), CrashReport.Source.RAYOS, reason)
                .version(BuildInfo.version()).buildId(BuildInfo.buildId()).kind(kind).location(location)
                .attribute("component", component).attribute("origin", origin)
                .attribute("pid", Long.toString(ProcessId.current()))
                .attribute("thread", Thread.currentThread().getName())
                .stack(stack);
        int n = 0;
        for (String d : details == null ? new String[0] : details) {
            n++;
            if (d == null) {
                continue;
            }
            if (!detail(b, d)) {
                b.attribute("detail_" + n, d);
            }
        }
        try {
            b.lastLines(CrashRecords.lastLines(log.ring().snapshot(), log.policy().crashLastLines()));
        } catch (Throwable e) {
            problems.add("last lines: " + e); // out of memory for a copy of the ring, most likely
        }
        return b.build();
    }

    /** Applies one {@code key=value} detail; false when it is not one we can take. */
    private static boolean detail(CrashReport.Builder b, String d) {
        int eq = d.indexOf('=');
        if (eq <= 0) {
            return false;
        }
        String k = d.substring(0, eq);
        String v = d.substring(eq + 1);
        try {
            switch (k) {
                case "fault_address": b.faultAddress(v); return true;
                case "error_code": b.errorCode(v); return true;
                case "location": b.location(v); return true;
                case "kind": b.kind(v); return true;
                default:
                    if (k.startsWith("reg.")) {
                        b.register(k.substring(4), v);
                    } else {
                        b.attribute(k, v);
                    }
                    return true;
            }
        } catch (IllegalArgumentException e) {
            return false; // a bad key or value: kept whole as detail_N instead
        }
    }

    private CrashReport minimalReport(String reason, Throwable why) {
        return CrashReport.builder(log.boot(), Timestamp.mono(Math.max(0, log.clock().monoNanos())),
                CrashReport.Source.RAYOS, reason).attribute("component", component)
                .attribute("report_error", why.toString()).build();
    }

    private Timestamp now() {
        return LineCodec.now(log.clock(), log.wallClockKnown());
    }

    /** The lines {@link Throwable#printStackTrace} prints, without the first (the reason has it). */
    static List<String> stackOf(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        List<String> lines = new ArrayList<>(w.toString().lines().toList());
        if (!lines.isEmpty()) {
            lines.remove(0);
        }
        return lines;
    }

    private static String topFrame(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return st.length == 0 ? null : st[0].toString();
    }

    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), BANNER_WIDTH + 1));
        for (int i = 0; i < s.length() && b.length() <= BANNER_WIDTH; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return b.toString();
    }

    private static String cut(String s) {
        return s.length() <= BANNER_WIDTH ? s : s.substring(0, BANNER_WIDTH - 1) + "…";
    }
}
