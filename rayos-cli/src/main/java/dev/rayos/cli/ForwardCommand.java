package dev.rayos.cli;

import dev.rayos.bridges.forward.CursorException;
import dev.rayos.bridges.forward.ForwardConfig;
import dev.rayos.bridges.forward.ForwardLoop;
import dev.rayos.bridges.forward.ForwardState;
import dev.rayos.bridges.forward.ForwardStatus;
import dev.rayos.bridges.forward.Forwarder;
import dev.rayos.log.LogSystem;
import dev.rayos.log.policy.BridgeSettings;
import dev.rayos.log.policy.PolicyException;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rayos forward}: the log files to a syslog collector (the work is {@link Forwarder}'s). */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = {"Send every log line to a syslog collector (rsyslog, syslog-ng) as RFC 5424 with",
            "octet counting, in order, from a durable cursor per category in var/rayos/forward/:",
            "an outage or a restart resumes where it stood; lines sent again after a crash carry the",
            "same sequence number (structured data rayos@32473 seq=). Lines removed by retention",
            "before they were sent are counted and reported as RAYOS_FORWARD_LOST. See docs/bridges.md."},
        footer = {"", "Examples:",
            "  rayos forward --target tcp://logs.example.net:514 --once",
            "  rayos forward                      # forward.target of the policy, until SIGTERM",
            "  rayos forward --status"})
final class ForwardCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "URL",
            description = "tcp://HOST:PORT or tls://HOST:PORT (default: the policy's forward.target).")
    String target;

    @Option(names = "--once", description = "Send what the files hold now, then exit (1 if the collector cannot be reached).")
    boolean once;

    @Option(names = "--status", description = {"Show whether a forwarder runs (the boot agent or rayos forward) and",
        "how its collector answers, where each category stands and how much is not sent yet; send nothing."})
    boolean status;

    @Override
    public Integer call() throws Exception {
        RootLayout layout = parent.machine();
        PrintWriter out = spec.commandLine().getOut();
        if (status) {
            return status(layout, out);
        }
        MachineRoot m = new MachineRoot(layout, LogClock.system());
        LogSystem sys = m.open(m.currentOrStart(spec.commandLine().getErr()));
        try {
            BridgeSettings b = sys.policy().bridges();
            URI url;
            try {
                url = target != null ? BridgeSettings.parseForwardTarget(target)
                        : b.forwardTarget().orElseThrow(() -> new UserError("no collector: give --target tcp://HOST:PORT "
                                + "or set forward.target in " + layout.relative(layout.policyFile())));
            } catch (PolicyException e) {
                throw new UserError("--target " + e.getMessage().replaceFirst("^line 0: ", ""));
            }
            if (url.getScheme().equals("tls") && b.forwardCaFile().isEmpty()) {
                throw new UserError("a tls:// target needs forward.ca_file in " + layout.relative(layout.policyFile()));
            }
            ForwardConfig config = ForwardConfig.of(layout, b, url).orElseThrow();
            if (!once) {
                return follow(layout, config, sys);
            }
            try (Forwarder f = new Forwarder(layout, config, sys.logger("forward"))) {
                return once(f, url, out);
            } catch (CursorException e) {
                throw new UserError(e.getMessage(), 1);
            }
        } finally {
            sys.close();
        }
    }

    private static int once(Forwarder f, URI url, PrintWriter out) throws CursorException {
        try {
            Forwarder.Sent s = f.once();
            out.println("rayos forward: " + s.lines() + " lines (" + s.bytes() + " bytes) sent to " + url + lost(s));
            out.flush();
            return 0;
        } catch (IOException e) {
            throw new UserError("cannot send to " + url + ": " + e.getMessage() + " (the cursors stand where it stopped)", 1);
        }
    }

    /** The loss found, as RAYOS_FORWARD_LOST says it; nothing when none. */
    static String lost(Forwarder.Sent s) {
        if (s.lostFiles() == 0) {
            return "";
        }
        return "; " + (s.unrecordedFiles() > 0 ? "at least " : "") + s.lostLines() + " lines lost: " + s.lostFiles()
                + (s.lostFiles() == 1 ? " file" : " files") + " removed before they were sent" + (s.unrecordedFiles() > 0 ? " (" + s.unrecordedFiles()
                + " of them without a record of their lines)" : "") + " (RAYOS_FORWARD_LOST)";
    }

    /**
     * Until SIGTERM: the hook stops the loop cleanly (a last pass of at most 5 s) and closes the log
     * system, so FORWARD_STOP reaches the file before the JVM halts.
     */
    private static int follow(RootLayout layout, ForwardConfig config, LogSystem sys) throws InterruptedException {
        ForwardLoop loop = ForwardLoop.start(layout, config, sys.logger("forward"), "forward", 200);
        AtomicBoolean terminating = new AtomicBoolean();
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            terminating.set(true);
            loop.close();
            try {
                sys.close();
            } catch (IOException e) {
                // what did not reach a file is in the ring for the next start
            }
            closed.countDown();
        }, "rayos-forward-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        loop.await();
        if (terminating.get()) {
            closed.await(); // the JVM halts once the hook is done
            return 0;
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        Optional<Exception> failed = loop.failure();
        if (failed.isPresent()) {
            throw new UserError(String.valueOf(failed.get().getMessage()), 1);
        }
        return 0;
    }

    private static int status(RootLayout layout, PrintWriter out) throws IOException {
        boolean damaged = false;
        try {
            out.println("forwarder: " + ForwardState.read(layout).map(ForwardState::describe).orElse("not running on this boot"));
        } catch (ForwardState.DamagedException e) {
            damaged = true;
            out.println("forwarder: " + layout.relative(layout.forwardState()) + " is damaged (" + e.getMessage() + ")");
        }
        List<ForwardStatus> cursors = ForwardStatus.of(layout);
        if (cursors.isEmpty()) {
            // a header over no rows reads like a broken listing; say what it means instead
            out.println("cursors: none yet (nothing has been forwarded from this machine)");
            out.flush();
            return damaged ? 1 : 0;
        }
        Table t = new Table("CATEGORY", ">SEQ", "FILE", ">OFFSET", ">BEHIND");
        for (ForwardStatus s : cursors) {
            if (s.damage() != null) {
                damaged = true;
                t.row(s.category(), "-", "cursor damaged: " + s.damage(), "-", "-");
            } else {
                t.row(s.category(), Long.toString(s.seq()), s.file(), Long.toString(s.offset()), s.behind() + " B");
            }
        }
        t.print(out);
        out.flush();
        return damaged ? 1 : 0;
    }
}
