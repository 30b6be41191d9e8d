package dev.rayos.cli;

import dev.rayos.bridges.syslog.SyslogListener;
import dev.rayos.log.LogSystem;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rayos serve}: the machine's logging bridges in a foreground process, for machines without
 * the boot agent: the syslog socket (and the policy's loopback ports) until SIGTERM.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the logging bridges in the foreground until SIGTERM or Ctrl-C:",
            "the syslog socket <root>/run/rayos/log.sock (logger -u, syslog(3)) and the loopback",
            "TCP/UDP ports the policy names (syslog.tcp, syslog.udp). See docs/bridges.md.",
            "With no boot started, a new one is started."},
        footer = {"", "Examples:",
            "  rayos serve &",
            "  logger -u /run/rayos/log.sock -t backup 'disk nearly full'"})
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MachineRoot m = new MachineRoot(parent.layout(), LogClock.system());
        BootRecord boot = m.currentOrStart(spec.commandLine().getErr());
        LogSystem sys = m.open(boot);
        SyslogListener listener;
        try {
            listener = SyslogListener.start(sys, m.layout(), sys.policy());
        } catch (IOException e) {
            sys.close();
            throw new UserError("cannot listen: " + e.getMessage(), 1);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            listener.close(); // drains open connections first, then the lines reach the files
            sys.logger("serve").notice("SERVE_STOP").kv("frames", listener.frames())
                    .kv("truncated", listener.truncated()).kv("refused", listener.refused()).log();
            try {
                sys.close();
            } catch (IOException ignored) {
                // exiting: what did not reach a file is in the ring for the next start
            }
            stopped.countDown();
        }, "rayos-serve-stop"));
        String where = listener.socket().map(p -> m.layout().relative(p)).orElse("none");
        sys.logger("serve").notice("SERVE_START").kv("socket", where).log();
        PrintWriter out = spec.commandLine().getOut();
        out.println("rayos serve: listening on " + listener.socket().map(Object::toString).orElse("(no socket)"));
        out.flush();
        stopped.await();
        return 0;
    }
}
