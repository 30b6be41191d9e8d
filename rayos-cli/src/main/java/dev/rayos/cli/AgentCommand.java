package dev.rayos.cli;

import dev.rayos.log.boot.BootMode;
import dev.rayos.machine.agent.Agent;
import dev.rayos.machine.agent.AgentExit;
import dev.rayos.machine.entries.EfiVars;
import dev.rayos.machine.entries.EntryException;
import dev.rayos.recovery.FactoryReset;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code rayos agent}: the boot agent, started once per boot by the image's init. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run a RayOS boot: finish a factory reset that was cut off, open the boot (boot id, history,",
            "rings written out), arm the boot watchdog, read what happened to the previous boot (pstore, failure",
            "reason), start the image's components, log RAYOS_READY, bless the boot entry and disarm the watchdog;",
            "then serve until SIGTERM ends the boot. In recovery mode (rayos.mode=recovery on the kernel line) it",
            "runs the recovery console on the serial line and the local display instead.",
            "Started by the image's /init (docs/boot-and-recovery.md); on a test root it uses <root>/proc/cmdline,",
            "<root>/dev/watchdog and <root>/efi, so nothing of the host is touched."},
        footer = {"", "Examples:",
            "  rayos agent                     # what the image's /init runs, once per boot",
            "  rayos --root /tmp/m agent       # a boot of the machine at /tmp/m (its proc/cmdline, efi/, ...)",
            "", "Exit codes: 10 reboot (the boot failed), 11 power off, 143 ended by SIGTERM."})
final class AgentCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Override
    public Integer call() throws Exception {
        Path root = parent.layout().root();
        PrintWriter err = parent.spec.commandLine().getErr();
        try {
            FactoryReset.resumeIfJournaled(root).ifPresent(r -> {
                err.println("rayos agent: finished a factory reset that was cut off");
                err.flush();
            });
        } catch (FactoryReset.JournalDamaged e) {
            // a half-reset machine must not boot normally: send it to recovery, which can run the reset again
            if (Agent.mode(root) != BootMode.RECOVERY) {
                err.println("rayos agent: the factory reset journal is damaged (" + RayosCommand.oneLine(e.getMessage())
                        + "); rebooting into recovery");
                err.flush();
                try {
                    new EfiVars(root.resolve("sys/firmware/efi/efivars")).set("LoaderEntryOneShot", "rayos-recovery.conf");
                } catch (EntryException x) {
                    err.println("rayos agent: cannot ask for recovery: " + RayosCommand.oneLine(x.getMessage()));
                }
                return AgentExit.REBOOT;
            }
        }
        return Agent.run(parent.layout(), this::recovery);
    }

    /**
     * {@code rayos.page_lines=N} on the kernel line: how many lines the console's line mode shows per
     * page (a script driving the serial line sets it high, so no page prompt comes between answers).
     */
    private static java.util.Optional<String> pageLines(Path root) {
        try {
            for (String w : Files.readString(root.resolve("proc/cmdline")).strip().split("\\s+")) {
                if (w.matches("rayos\\.page_lines=[0-9]{1,4}")) {
                    return java.util.Optional.of(w.substring(w.indexOf('=') + 1));
                }
            }
        } catch (java.io.IOException e) {
            // no kernel line: the console's default
        }
        return java.util.Optional.empty();
    }

    /**
     * The recovery boot: {@code rayos recovery} in this JVM on the serial line and the local display,
     * started again whenever a person leaves it ({@code q}); it ends with the machine (a reboot or
     * power-off chosen in it signals /init, which signals this process).
     */
    private int recovery() throws InterruptedException {
        Path root = parent.layout().root();
        List<String> args = new ArrayList<>(List.of("--root", root.toString(), "recovery"));
        if (Files.exists(root.resolve("dev/ttyS0"))) {
            args.addAll(List.of("--serial", root.resolve("dev/ttyS0").toString()));
        }
        if (Files.exists(root.resolve("dev/tty1"))) {
            args.addAll(List.of("--display", root.resolve("dev/tty1").toString()));
        }
        pageLines(root).ifPresent(n -> args.addAll(List.of("--page-lines", n)));
        while (true) {
            CommandLine cl = RayosCommand.commandLine();
            cl.setOut(parent.spec.commandLine().getOut());
            cl.setErr(parent.spec.commandLine().getErr());
            int rc = cl.execute(args.toArray(String[]::new));
            if (rc == RayosCommand.EXIT_USAGE) {
                return AgentExit.REBOOT; // the console cannot run here at all: nothing better than a reboot
            }
            Thread.sleep(500);
        }
    }
}
