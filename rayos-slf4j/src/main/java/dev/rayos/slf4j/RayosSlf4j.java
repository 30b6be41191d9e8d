package dev.rayos.slf4j;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.line.Names;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * Where SLF4J lines go: {@link #use(LogSystem)} for a process that opens its own log system (the
 * boot agent does), else a log system opened on the first line for the machine at
 * {@code -Drayos.root}, {@code $RAYOS_ROOT} or {@code /}, for the current boot (a new boot when
 * there is none), closed by a shutdown hook.
 */
public final class RayosSlf4j {
    /** The component of loggers whose name gives nothing usable. */
    static final String DEFAULT_COMPONENT = "java";
    private static volatile LogSystem system;
    private static volatile int generation;

    private RayosSlf4j() {}

    /** SLF4J lines go to {@code sys} from now on. */
    public static synchronized void use(LogSystem sys) {
        system = sys;
        generation++;
    }

    static int generation() {
        return generation;
    }

    static LogSystem system() {
        LogSystem s = system;
        if (s != null) {
            return s;
        }
        synchronized (RayosSlf4j.class) {
            if (system == null) {
                system = openDefault();
                generation++;
                LogSystem opened = system;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        opened.close();
                    } catch (IOException ignored) {
                        // exiting: the ring holds what did not reach a file, for the next start
                    }
                }, "rayos-slf4j-close"));
            }
            return system;
        }
    }

    private static LogSystem openDefault() {
        String root = System.getProperty("rayos.root");
        RootLayout layout = RootLayout.choose(root);
        LogClock clock = LogClock.system();
        Boots boots = new Boots(layout, clock);
        try {
            Optional<BootId> cur = boots.current();
            BootRecord boot = null;
            if (cur.isPresent()) {
                try {
                    boot = boots.read(cur.get());
                } catch (IOException | dev.rayos.log.boot.BootHistoryException damaged) {
                    boot = null;
                }
            }
            if (boot == null) {
                boot = boots.start(BootMode.NORMAL, true);
            }
            return LogSystem.builder(layout).boot(boot.id()).clock(clock).wallClockKnown(boot.wallClock())
                    .onMarker(boots::recordMarker).open();
        } catch (IOException e) {
            throw new UncheckedIOException("rayos-slf4j: cannot open logging under " + layout, e);
        }
    }

    /**
     * The component of a logger name: the policy's {@code slf4j.component.<prefix>} of the longest
     * matching dotted prefix, else the name's last segment made grammar-safe
     * ({@code com.zaxxer.hikari.pool.HikariPool} → {@code hikaripool}).
     */
    static String component(String loggerName, Map<String, String> mapping) {
        String n = loggerName;
        while (!n.isEmpty()) {
            String c = mapping.get(n);
            if (c != null) {
                return c;
            }
            int dot = n.lastIndexOf('.');
            n = dot < 0 ? "" : n.substring(0, dot);
        }
        String last = loggerName.substring(loggerName.lastIndexOf('.') + 1);
        return Names.component(last, DEFAULT_COMPONENT);
    }
}
