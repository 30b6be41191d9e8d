package dev.rayos.cli;

import dev.rayos.log.LogSystem;
import dev.rayos.machine.agent.Agent;
import dev.rayos.machine.agent.AgentExit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code rayos agent}: the boot agent, started once per boot by the image's init. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run a RayOS boot: open it (boot id, history, rings written out), arm the boot watchdog, read",
            "what happened to the previous boot (pstore, failure reason), start the image's components, log",
            "RAYOS_READY, bless the boot entry and disarm the watchdog; then serve until SIGTERM ends the boot.",
            "In recovery mode (rayos.mode=recovery on the kernel line) it runs the recovery console instead.",
            "Started by the image's /init (docs/boot-and-recovery.md); on a test root it uses <root>/proc/cmdline,",
            "<root>/dev/watchdog and <root>/efi, so nothing of the host is touched."},
        footer = {"", "Exit codes: 10 reboot (the boot failed), 11 power off, 143 ended by SIGTERM."})
final class AgentCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Override
    public Integer call() throws Exception {
        return Agent.run(parent.layout(), this::recovery);
    }

    /** The recovery boot: the console on the serial line and the local display. */
    private int recovery(LogSystem sys) throws InterruptedException {
        sys.logger("recovery").notice("RAYOS_RECOVERY_READY").kv("console", "none").log();
        new CountDownLatch(1).await(); // until SIGTERM (reboot/poweroff from a shell)
        return AgentExit.REBOOT;
    }
}
