package dev.rayos.slf4j;

import dev.rayos.log.EventBuilder;
import dev.rayos.log.LogSystem;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.Names;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.spi.LoggingEventAware;

/**
 * An SLF4J logger writing RayOS lines ({@code docs/bridges.md}, "SLF4J"): the logger name gives the
 * component, the level the level, the first marker that is a valid event name the event (else
 * {@code LOG}), MDC entries and the fluent API's key-value pairs {@code k=v}, the formatted message
 * {@code msg=}, a throwable {@code stack=} (its trace, one line: the grammar escapes line breaks).
 *
 * <p>Markers are in-process code's own words, as trusted as a direct rayos-log call, so an SLF4J
 * marker named {@code RAYOS_READY} is that marker (unlike a syslog MSGID, which comes from outside).
 *
 * <p>Garbage-free where SLF4J's API allows ({@code Slf4jAllocationTest}): the message is formatted
 * into the thread's reused builder and handed to the event as a CharSequence; the one- and
 * two-argument calls are taken without the array SLF4J's base class would make; boxed integers,
 * booleans and characters are written without a String. What SLF4J's API itself makes is left: the
 * varargs array of three or more arguments, the fluent API's event objects, the caller's boxing.
 */
final class RayosSlf4jLogger extends LegacyAbstractLogger implements LoggingEventAware {
    static final String EVENT = "LOG";
    private static final ThreadLocal<StringBuilder> MESSAGE = ThreadLocal.withInitial(() -> new StringBuilder(256));
    private static final ThreadLocal<MdcFields> MDC_FIELDS = ThreadLocal.withInitial(MdcFields::new);

    /** Adds each MDC entry to the thread's event: one per thread, so reading the MDC allocates nothing. */
    private static final class MdcFields implements java.util.function.BiConsumer<String, String> {
        EventBuilder event;

        @Override
        public void accept(String k, String v) {
            event.kv(key(k), v == null ? "null" : v);
        }
    }

    private final transient RayosMdc mdc;
    private transient volatile dev.rayos.log.Logger target;
    private transient volatile int targetGeneration = -1;

    RayosSlf4jLogger(String name, RayosMdc mdc) {
        this.name = name;
        this.mdc = mdc;
    }

    private dev.rayos.log.Logger target() {
        dev.rayos.log.Logger t = target;
        if (t != null && targetGeneration == RayosSlf4j.generation()) {
            return t;
        }
        LogSystem sys = RayosSlf4j.system();
        t = sys.logger(RayosSlf4j.component(name, sys.policy().bridges().slf4jComponents()));
        target = t;
        targetGeneration = RayosSlf4j.generation();
        return t;
    }

    static dev.rayos.log.line.Level level(Level l) {
        switch (l) {
            case TRACE: return dev.rayos.log.line.Level.TRACE;
            case DEBUG: return dev.rayos.log.line.Level.DEBUG;
            case INFO: return dev.rayos.log.line.Level.INFO;
            case WARN: return dev.rayos.log.line.Level.WARN;
            default: return dev.rayos.log.line.Level.ERROR;
        }
    }

    private boolean enabled(Level l) {
        return target().isEnabled(level(l));
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
        emit(level, marker, null, pattern, args, null, null, args == null ? 0 : args.length, t, null);
    }

    @Override
    public void log(LoggingEvent e) {
        List<Marker> markers = e.getMarkers();
        Object[] args = e.getArgumentArray();
        emit(e.getLevel(), null, markers, e.getMessage(), args, null, null, args == null ? 0 : args.length, e.getThrowable(),
                e.getKeyValuePairs());
    }

    // The one- and two-argument calls, without the Object[] SLF4J's AbstractLogger would make for them
    // (its rule kept: a Throwable as the second of two arguments is the throwable, not an argument).

    private void one(Level level, String format, Object arg) {
        emit(level, null, null, format, null, arg, null, 1, null, null);
    }

    private void two(Level level, String format, Object arg1, Object arg2) {
        if (arg2 instanceof Throwable) {
            emit(level, null, null, format, null, arg1, null, 1, (Throwable) arg2, null);
        } else {
            emit(level, null, null, format, null, arg1, arg2, 2, null, null);
        }
    }

    @Override
    public void trace(String format, Object arg) {
        if (isTraceEnabled()) {
            one(Level.TRACE, format, arg);
        }
    }

    @Override
    public void trace(String format, Object arg1, Object arg2) {
        if (isTraceEnabled()) {
            two(Level.TRACE, format, arg1, arg2);
        }
    }

    @Override
    public void debug(String format, Object arg) {
        if (isDebugEnabled()) {
            one(Level.DEBUG, format, arg);
        }
    }

    @Override
    public void debug(String format, Object arg1, Object arg2) {
        if (isDebugEnabled()) {
            two(Level.DEBUG, format, arg1, arg2);
        }
    }

    @Override
    public void info(String format, Object arg) {
        if (isInfoEnabled()) {
            one(Level.INFO, format, arg);
        }
    }

    @Override
    public void info(String format, Object arg1, Object arg2) {
        if (isInfoEnabled()) {
            two(Level.INFO, format, arg1, arg2);
        }
    }

    @Override
    public void warn(String format, Object arg) {
        if (isWarnEnabled()) {
            one(Level.WARN, format, arg);
        }
    }

    @Override
    public void warn(String format, Object arg1, Object arg2) {
        if (isWarnEnabled()) {
            two(Level.WARN, format, arg1, arg2);
        }
    }

    @Override
    public void error(String format, Object arg) {
        if (isErrorEnabled()) {
            one(Level.ERROR, format, arg);
        }
    }

    @Override
    public void error(String format, Object arg1, Object arg2) {
        if (isErrorEnabled()) {
            two(Level.ERROR, format, arg1, arg2);
        }
    }

    /** One line: the arguments are {@code args}, or ({@code args} null) the first {@code n} of {@code a1}, {@code a2}. */
    private void emit(Level level, Marker marker, List<Marker> markers, String pattern, Object[] args, Object a1, Object a2,
                      int n, Throwable t, List<KeyValuePair> kvs) {
        dev.rayos.log.Logger log = target();
        dev.rayos.log.line.Level lvl = level(level);
        if (!log.isEnabled(lvl)) {
            return;
        }
        String event = EVENT;
        String otherMarker = null;
        if (marker != null) {
            if (LineCodec.isEvent(marker.getName())) {
                event = marker.getName();
            } else {
                otherMarker = marker.getName();
            }
        } else if (markers != null) {
            for (Marker m : markers) {
                if (event == EVENT && LineCodec.isEvent(m.getName())) {
                    event = m.getName();
                } else if (otherMarker == null) {
                    otherMarker = m.getName();
                }
            }
        }
        EventBuilder e = log.at(lvl, event);
        if (otherMarker != null) {
            e.kv("marker", otherMarker);
        }
        Map<String, String> context = mdc.current();
        if (!context.isEmpty()) {
            // forEach walks the map's own entries: no iterator, which escape analysis removed only
            // when the JIT happened to inline this loop whole (a CI run saw 32 B per call).
            MdcFields f = MDC_FIELDS.get();
            f.event = e;
            context.forEach(f);
            f.event = null;
        }
        if (kvs != null) {
            for (KeyValuePair kv : kvs) {
                e.kv(key(kv.key), MessageText.render(kv.value));
            }
        }
        if (n == 0) {
            e.kv("msg", pattern == null ? "null" : pattern);
        } else {
            StringBuilder sb = MESSAGE.get();
            sb.setLength(0);
            if (args != null) {
                MessageText.format(sb, pattern, args);
            } else {
                MessageText.format(sb, pattern, a1, a2, n);
            }
            e.kv("msg", sb);
            if (sb.capacity() > 64 * 1024) {
                MESSAGE.remove(); // do not keep a huge builder per thread
            }
        }
        if (t != null) {
            e.kv("stack", stack(t));
        }
        e.log();
    }

    /** A caller's key as a line key; {@code msg}, {@code stack} and {@code marker} stay ours. */
    static String key(String raw) {
        String k = Names.key(raw);
        return k.equals("msg") || k.equals("stack") || k.equals("marker") ? "_" + k : k;
    }

    static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
