package dev.rayos.recovery;

import dev.rayos.log.EventBuilder;
import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.boot.BootHistoryException;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RingRecovery;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The recovery tools' own log: every action is one event {@code RAYOS_RECOVERY_ACTION action=…
 * result=…} of component {@code recovery}, in the log of the boot that runs the tool (the recovery
 * boot), so the next normal boot can show what was done. It goes through the real logging
 * pipeline, and being a marker it is fsync'd before {@link #action} returns.
 *
 * <p>Events logged before {@link #open} (repair fixes {@code current_boot_id} before it knows which
 * boot to log into) are held and logged at open, in order. A dry run never opens it: it writes
 * nothing.
 */
public final class ActionLog implements AutoCloseable {
    public static final String COMPONENT = "recovery";
    public static final String EVENT = "RAYOS_RECOVERY_ACTION";

    private final RootLayout layout;
    private final List<String[]> held = new ArrayList<>();
    private LogSystem system;
    private Logger logger;
    private boolean closed;
    private int holds;

    public ActionLog(RootLayout layout) {
        this.layout = layout;
    }

    /**
     * The boot recovery actions belong to: the current boot when its history is readable, else a
     * new boot in recovery mode (a recovery tool is running, so a boot is; nothing to log into
     * otherwise).
     */
    public static BootId currentOrNewRecoveryBoot(RootLayout layout) throws IOException {
        Boots boots = new Boots(layout, LogClock.system());
        Optional<BootId> cur = boots.current();
        if (cur.isPresent()) {
            try {
                boots.read(cur.get());
                return cur.get();
            } catch (NoSuchFileException | BootHistoryException e) {
                // fall through
            }
        }
        return boots.start(BootMode.RECOVERY, true).id();
    }

    /**
     * Opens the log of {@code boot} (rings of dead processes are written out first: the log
     * system's start-up recovery) and logs the held events.
     *
     * @return what start-up recovery did with orphaned rings
     */
    public List<RingRecovery.Outcome> open(BootId boot) throws IOException {
        if (system != null) {
            return List.of();
        }
        system = LogSystem.builder(layout).boot(boot).open();
        logger = system.logger(COMPONENT);
        for (String[] e : held) {
            emit(e);
        }
        held.clear();
        return system.recovered();
    }

    /** What the log system's start did with crash reports found in orphaned rings. */
    public List<dev.rayos.log.crash.CrashRecords.Result> crashWriteOuts() {
        return system == null ? List.of() : system.crashWriteOuts();
    }

    public boolean isOpen() {
        return system != null && !closed;
    }

    /** Logs one action: {@code action=… result=…} then the fields, given as key, value, key, value. */
    public void action(String action, String result, String... kv) {
        if (closed) {
            throw new IllegalStateException("the action log is closed");
        }
        String[] e = new String[kv.length + 4];
        e[0] = "action";
        e[1] = action;
        e[2] = "result";
        e[3] = result;
        System.arraycopy(kv, 0, e, 4, kv.length);
        if (logger == null || holds > 0) {
            held.add(e);
        } else {
            emit(e);
        }
    }

    /**
     * Holds events until {@link #release}: for a caller holding a lock the log's own writer needs
     * (a category's lock), since an action is a marker and waits for the writer.
     */
    void hold() {
        holds++;
    }

    void release() {
        if (holds > 0 && --holds == 0 && logger != null) {
            for (String[] e : held) {
                emit(e);
            }
            held.clear();
        }
    }

    private void emit(String[] kv) {
        boolean failed = "failed".equals(kv[3]);
        EventBuilder ev = failed ? logger.error(EVENT) : logger.notice(EVENT);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            ev.kv(kv[i], kv[i + 1]);
        }
        ev.log();
    }

    /** Events held because the log was never opened (a dry run, or open failed). */
    List<String[]> held() {
        return List.copyOf(held);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (system != null) {
            system.close();
        }
    }
}
