package dev.rayos.machine.agent;

import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the image's components for one boot and waits until every one is ready: exited 0, or
 * printed the line {@code READY} and kept running. Each line a component prints becomes an event
 * of that component ({@code OUTPUT msg=...}); its start, readiness and exit are events of the agent
 * ({@code RAYOS_COMPONENT_START}, {@code RAYOS_COMPONENT_READY}, {@code RAYOS_COMPONENT_EXIT}, with
 * milliseconds since it started, which {@code rayos analyze blame} reads).
 */
final class ComponentRunner {
    /** How the wait ended. */
    record Outcome(boolean ready, String failed, int status) {}

    private final LogSystem sys;
    private final Logger agent;
    private final Map<String, State> states = new LinkedHashMap<>();
    private final List<Process> running = new ArrayList<>();
    private final Map<Process, String> names = new java.util.HashMap<>();
    private final Map<Process, Thread> pumps = new java.util.concurrent.ConcurrentHashMap<>();

    private static final class State {
        final long startNanos = System.nanoTime();
        boolean ready;
        Integer exit;
    }

    ComponentRunner(LogSystem sys, Logger agent) {
        this.sys = sys;
        this.agent = agent;
    }

    /** Starts each component; one that cannot be started fails the boot at once. */
    synchronized Outcome start(List<Component> components, Path dir, String mode) {
        for (Component c : components) {
            State st = new State();
            states.put(c.name(), st);
            ProcessBuilder pb = new ProcessBuilder(dir.resolve(c.name()).toString()).redirectErrorStream(true);
            pb.environment().put("RAYOS_MODE", mode);
            pb.environment().put("RAYOS_COMPONENT", c.name());
            pb.environment().put("RAYOS_ROOT", sys.layout().root().toString());
            agent.info("RAYOS_COMPONENT_START").kv("name", c.name()).kv("safe", c.safe()).log();
            try {
                Process p = pb.start();
                p.getOutputStream().close();
                running.add(p);
                names.put(p, c.name());
                Thread t = new Thread(() -> pump(c.name(), p, st), "component-" + c.name());
                t.setDaemon(true);
                pumps.put(p, t);
                t.start();
            } catch (IOException e) {
                st.exit = 127;
                agent.error("RAYOS_COMPONENT_EXIT").kv("name", c.name()).kv("status", 127).kv("ms", 0)
                        .kv("error", String.valueOf(e.getMessage())).log();
                return new Outcome(false, c.name(), 127);
            }
        }
        return null;
    }

    /** Waits until all are ready, or one exits non-zero before it was ready. */
    synchronized Outcome await() throws InterruptedException {
        while (true) {
            boolean all = true;
            for (Map.Entry<String, State> e : states.entrySet()) {
                State s = e.getValue();
                if (!s.ready && s.exit != null) {
                    return new Outcome(false, e.getKey(), s.exit);
                }
                all &= s.ready;
            }
            if (all) {
                return new Outcome(true, null, 0);
            }
            wait(1000);
        }
    }

    /**
     * Stops the components still running, as the boot ends: SIGTERM, up to {@code grace} for them to
     * exit, then SIGKILL. Each stop is an event ({@code RAYOS_COMPONENT_STOP how=term|kill}), and the
     * component's exit status is logged before this returns, while the log is still open.
     */
    void stop(java.time.Duration grace) {
        List<Process> alive;
        synchronized (this) {
            alive = running.stream().filter(Process::isAlive).toList();
        }
        for (Process p : alive) {
            agent.info("RAYOS_COMPONENT_STOP").kv("name", name(p)).kv("how", "term").log();
            p.destroy();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process p : alive) {
            try {
                long left = deadline - System.nanoTime();
                if (!p.waitFor(Math.max(0, left), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    agent.warn("RAYOS_COMPONENT_STOP").kv("name", name(p)).kv("how", "kill").log();
                    p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
                Thread pump = pumps.get(p);
                if (pump != null) {
                    pump.join(2000); // its exit event
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized String name(Process p) {
        return names.getOrDefault(p, "?");
    }

    private void pump(String name, Process p, State st) {
        Logger out = sys.logger(name);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.strip().equals("READY")) {
                    ready(name, st);
                } else {
                    out.info("OUTPUT").kv("msg", line.length() > 4000 ? line.substring(0, 4000) : line).log();
                }
            }
        } catch (IOException e) {
            // the component closed its output; its exit status is what counts
        }
        int status;
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            return;
        }
        long ms = (System.nanoTime() - st.startNanos) / 1_000_000;
        if (status == 0) {
            ready(name, st);
        }
        (status == 0 ? agent.info("RAYOS_COMPONENT_EXIT") : agent.error("RAYOS_COMPONENT_EXIT"))
                .kv("name", name).kv("status", status).kv("ms", ms).log();
        synchronized (this) {
            st.exit = status;
            notifyAll();
        }
    }

    private void ready(String name, State st) {
        synchronized (this) {
            if (st.ready) {
                return;
            }
            st.ready = true;
            notifyAll();
        }
        agent.info("RAYOS_COMPONENT_READY").kv("name", name).kv("ms", (System.nanoTime() - st.startNanos) / 1_000_000).log();
    }
}
