package dev.rayos.bridges.forward;

import dev.rayos.log.Logger;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous forwarding on a thread of its own, for {@code rayos forward} and the boot agent: a
 * {@link Forwarder} pass, then new lines within the poll interval; a refused or broken connection
 * retried, backing off from 100 ms to the config's maximum, logged once as {@code FORWARD_DOWN} and
 * {@code FORWARD_UP} when it works again. Its state ({@code starting}, {@code up}, {@code down},
 * {@code stopped}) is kept in {@code run/rayos/forward.state} for {@code rayos forward --status}.
 *
 * <p>{@link #close} stops it cleanly: one last pass sends what the files hold by then (so a boot's
 * last lines leave with it), for at most {@link #DRAIN}; past that the pass ends after the batch in
 * hand. Either way the cursor stands after the last batch handed to the collector, so what follows
 * is sent once, by the next forwarder. The thread is never interrupted: an interrupt would close
 * the file channel of a read or of the cursor write under it.
 */
public final class ForwardLoop implements AutoCloseable {
    /** How long {@link #close} lets the last pass run before it cuts it short. */
    static final long DRAIN = TimeUnit.SECONDS.toMillis(5);
    private final Forwarder forwarder;
    private final RootLayout layout;
    private final ForwardConfig config;
    private final Logger events;
    private final String by;
    private final long pollMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private boolean draining;
    private volatile Exception failure;
    private String state = "";

    private ForwardLoop(RootLayout layout, ForwardConfig config, Logger events, String by, long pollMillis) {
        this.forwarder = new Forwarder(layout, config, events);
        this.layout = layout;
        this.config = config;
        this.events = events;
        this.by = by;
        this.pollMillis = pollMillis;
        this.thread = new Thread(this::loop, "rayos-forward");
        thread.setDaemon(true);
    }

    /**
     * Starts forwarding.
     *
     * @param events where {@code FORWARD_*} and {@code RAYOS_FORWARD_LOST} go (the machine's log); null for none
     * @param by who runs it, for {@code --status}: {@code agent} or {@code forward}
     */
    public static ForwardLoop start(RootLayout layout, ForwardConfig config, Logger events, String by, long pollMillis) {
        ForwardLoop l = new ForwardLoop(layout, config, events, by, pollMillis);
        l.state("starting");
        l.thread.start();
        return l;
    }

    private void loop() {
        long backoff = 100;
        boolean down = false;
        try {
            while (true) {
                boolean last;
                lock.lock();
                try {
                    last = draining;
                } finally {
                    lock.unlock();
                }
                try {
                    Forwarder.Sent s = forwarder.once();
                    if (down && events != null) {
                        events.notice("FORWARD_UP").kv("target", config.target().toString()).log();
                    }
                    if (down || !state.equals("up")) {
                        state("up");
                    }
                    down = false;
                    backoff = 100;
                    if (last) {
                        return;
                    }
                    if (s.lines() == 0) {
                        pause(pollMillis);
                    }
                } catch (IOException e) {
                    if (!down) {
                        if (events != null) {
                            events.warn("FORWARD_DOWN").kv("target", config.target().toString())
                                    .kv("error", String.valueOf(e.getMessage())).log();
                        }
                        state("down");
                    }
                    down = true;
                    if (last) {
                        return; // the collector is down: what is left goes with the next forwarder
                    }
                    pause(backoff);
                    backoff = Math.min(config.maxBackoffMillis(), backoff * 2);
                }
            }
        } catch (CursorException | RuntimeException e) {
            failure = e; // a damaged cursor, another forwarder, or a bug: the loop ends and says why
            say(() -> events.error("FORWARD_FAILED").kv("error", String.valueOf(e.getMessage())).log());
        } finally {
            Forwarder.Sent t = forwarder.total();
            say(() -> events.notice("FORWARD_STOP").kv("lines", t.lines()).kv("bytes", t.bytes())
                    .kv("lost_lines", t.lostLines()).log());
            forwarder.close();
            state("stopped");
        }
    }

    /** Logs one of the loop's last events, if there is a log and it is still open (a closed one must not stop the stop). */
    private void say(Runnable event) {
        if (events != null) {
            try {
                event.run();
            } catch (RuntimeException closed) {
                // the machine's log closed before the loop: the state file still says it stopped
            }
        }
    }

    /** Waits {@code millis}, or less when {@link #close} is called. */
    private void pause(long millis) {
        lock.lock();
        try {
            if (!draining) {
                wake.await(millis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void state(String s) {
        state = s;
        try {
            new ForwardState(ProcessHandle.current().pid(), by, s, config.target().toString(), Instant.now().toString())
                    .write(layout);
        } catch (IOException e) {
            // --status says less; forwarding goes on
        }
    }

    /** Waits until the loop ends (after {@link #close}, or a failure: {@link #failure()}). */
    public void await() throws InterruptedException {
        thread.join();
    }

    /** What ended the loop other than {@link #close}: a damaged cursor, another forwarder running, a bug. */
    public Optional<Exception> failure() {
        return Optional.ofNullable(failure);
    }

    /** What was sent, and found lost, so far. */
    public Forwarder.Sent total() {
        return forwarder.total();
    }

    /** One last pass of what the files hold now (at most {@link #DRAIN}), then stop; returns when it has. */
    @Override
    public void close() {
        lock.lock();
        try {
            draining = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(DRAIN);
            if (thread.isAlive()) {
                forwarder.stop(); // the pass ends after the batch in hand
                thread.join(DRAIN);
            }
            if (thread.isAlive()) {
                forwarder.abort(); // a collector that takes nothing: the send in hand fails, the cursor stays before it
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
