package dev.rayos.cli;

import dev.rayos.log.console.ConsoleDevice;
import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.line.Marker;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code rayos demo}: boots a simulated machine through the real stack and shows where everything
 * lands. It grows as capabilities land.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Boot a simulated RayOS machine through the real stack, on the root rayos-data (or --root DIR): "
                + "early-boot lines held in the ring, the data partition mounted and the ring flushed, "
                + "redacted input and AI events, the readiness markers. The serial console is printed as it "
                + "goes, and at the end where everything landed; run it again for another boot of the same "
                + "machine.",
        footer = {"",
            "Examples:",
            "  rayos demo",
            "  rayos --root /tmp/m demo"})
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    /** Set in the child process the demo starts for the boot that crashes. */
    @picocli.CommandLine.Option(names = "--crashing-boot", hidden = true)
    boolean crashingBoot;

    @picocli.CommandLine.Option(names = "--vm", description = {"Build a real image and boot it under QEMU (OVMF, systemd-boot):",
        "a good boot, an update that hangs until the watchdog sends the machine to recovery, the logs read",
        "back on the host (about five minutes under TCG; in ./rayos-data/vm or --root DIR/vm)."})
    boolean vm;

    @Override
    public Integer call() throws Exception {
        RootLayout layout = new RootLayout(Path.of(parent.root != null ? parent.root : "rayos-data"));
        PrintWriter out = parent.spec.commandLine().getOut();
        if (crashingBoot) {
            return crashingBoot(layout);
        }
        if (vm) {
            return VmDemo.run(layout.root().resolve("vm"), out, parent.spec.commandLine().getErr());
        }
        int rc = firstBoot(layout, out);
        crashThenRecover(layout, out);
        return rc;
    }

    /** Boot 1: a clean boot through every sink. */
    private int firstBoot(RootLayout layout, PrintWriter out) throws Exception {
        MachineRoot machine = new MachineRoot(layout, LogClock.system());
        BootRecord boot = machine.boots().start(BootMode.NORMAL, true);
        say(out, "machine root " + layout.root() + " — boot #" + (boot.seq() + 1) + ", id " + boot.id());
        say(out, "early boot: no data partition yet, lines wait in the ring "
                + layout.relative(layout.ringDir()) + "/; the serial console shows them:");
        OutputStream console = ConsoleDevice.unclosable(new FileOutputStream(FileDescriptor.out));
        out.flush();
        long flushed;
        try (LogSystem sys = LogSystem.builder(layout).boot(boot.id()).mounted(false).console(console).open()) {
            Logger loader = sys.logger("bootloader");
            Logger kernel = sys.logger("kernel");
            loader.info(Marker.BOOTLOADER_START).kv("version", "0.1").kv("entry", "rayos.conf").log();
            kernel.info(Marker.KERNEL_START).kv("cmdline", "console=ttyS0 quiet").log();
            kernel.info("MEMORY").kv("total_mib", Runtime.getRuntime().maxMemory() >> 20).log();
            kernel.info("CPUS").kv("online", Runtime.getRuntime().availableProcessors()).log();
            kernel.notice("DATA_PARTITION").kv("state", "mounting").kv("device", "/dev/vda2").log();
            flushed = sys.linesLogged();
            sys.awaitConsole(2000);
            say(out, "data partition mounted: the ring's " + flushed + " lines are written to "
                    + layout.relative(layout.logFile("boot", boot.id())));
            sys.mount();
            sys.flush();
            kernel.info("DATA_PARTITION").kv("state", "mounted").kv("flushed_lines", flushed).log();
            sys.logger("input").info("KEY").kv("text", "hunter2").kv("window", "terminal").log();
            sys.logger("input").info("POINTER").kv("x", 640).kv("y", 480).log();
            sys.logger("ai").info("PROMPT").kv("text", "summarise my private notes").kv("tokens", 6).log();
            sys.logger("policy").warn("RAYOS_POLICY_VIOLATION").kv("rule", "network_default_off")
                    .kv("detail", "requested_on").log();
            sys.logger("vm.linux").info(Marker.LINUX_VM_READY).kv("hidden", true).log();
            sys.logger("presentation").info(Marker.PRESENTATION_ON).log();
            kernel.info(Marker.READY).kv("mode", "bicameral").log();
            sys.awaitConsole(2000);
        }
        machine.boots().end(boot.id(), EndState.CLEAN);
        say(out, "input and ai lines went to their own categories with values redacted (policy);");
        say(out, "boot ended cleanly. Where everything landed, under " + layout.root() + ":");
        String id = boot.id().hex();
        row(out, layout, layout.currentBootIdFile(), id);
        row(out, layout, layout.historyFile(boot.id()), "end=clean, mode=normal, seq=" + boot.seq());
        for (String cat : List.of("boot", "input", "ai")) {
            Path f = layout.logFile(cat, boot.id());
            long n = lines(f);
            row(out, layout, f, n + (n == 1 ? " line, " : " lines, ") + Files.size(f) + " bytes"
                    + (cat.equals("boot") ? "" : " (values redacted)"));
        }
        out.flush();
        return 0;
    }

    /**
     * Boot 2 runs in a child process: no wall clock yet (mono timestamps), the kernel panics before
     * the data partition is mounted, so the report can only go into the ring, and the process dies.
     * Boot 3 (this process) finds the ring, writes the report out and marks boot 2 crashed.
     */
    private void crashThenRecover(RootLayout layout, PrintWriter out) throws Exception {
        say(out, "");
        say(out, "boot 2, in a child process: no wall clock yet (lines carry mono: time), and the kernel");
        say(out, "panics before the data partition is mounted, so its report can only go into the ring:");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--root", layout.root().toString(),
                "demo", "--crashing-boot"));
        Process child = new ProcessBuilder(cmd).inheritIO().start();
        int status = child.waitFor();
        say(out, "the child died with status " + status + "; its ring is still in "
                + layout.relative(layout.ringDir()) + "/ (" + ringFiles(layout) + " file)");
        say(out, "");
        say(out, "boot 3: starting a boot writes out what dead processes left in their rings:");
        MachineRoot machine = new MachineRoot(layout, LogClock.system());
        BootRecord boot = machine.boots().start(BootMode.NORMAL, true);
        try (LogSystem sys = machine.open(boot)) {
            for (var c : sys.crashWriteOuts()) {
                say(out, "  crash report of boot " + c.boot() + " written to "
                        + (c.report() == null ? "(held for later: " + c.problem() + ")" : layout.relative(c.report())));
            }
            sys.logger("kernel").info(Marker.KERNEL_START).log();
            sys.logger("kernel").info(Marker.READY).kv("mode", "bicameral").log();
        }
        machine.boots().end(boot.id(), EndState.CLEAN);
        String r = layout.root().toString();
        run(out, "--root", r, "boots");
        run(out, "--root", r, "crashes");
        run(out, "--root", r, "logs", "-b", "-1");
        run(out, "--root", r, "status", "-b", "1", "--plot", layout.root().resolve("boot-1.svg").toString());
        say(out, "the timeline of boot 1 is drawn in " + layout.root().resolve("boot-1.svg")
                + " (like systemd-analyze plot).");
        String rayos = launcher();
        say(out, "try: " + rayos + " --root " + parent.rootShown() + " crash show   |   " + rayos + " --root "
                + parent.rootShown() + " logs -b all --level WARN   |   " + rayos + " help");
        out.flush();
    }

    /** The child's boot: early boot without wall clock, then a kernel panic that kills the process. */
    private int crashingBoot(RootLayout layout) throws Exception {
        MachineRoot machine = new MachineRoot(layout, LogClock.system());
        BootRecord boot = machine.boots().start(BootMode.NORMAL, false);
        OutputStream console = ConsoleDevice.unclosable(new FileOutputStream(FileDescriptor.out));
        LogSystem sys = LogSystem.builder(layout).boot(boot.id()).mounted(false).wallClockKnown(false)
                .console(console).open();
        sys.logger("bootloader").info(Marker.BOOTLOADER_START).kv("version", "0.1").log();
        sys.logger("kernel").info(Marker.KERNEL_START).log();
        sys.logger("kernel").warn("DISK_TIMEOUT").kv("device", "/dev/vda").kv("waited_ms", 3000).log();
        dev.rayos.log.Panic.of(sys, "kernel").panic("cannot mount the data partition",
                "fault_address=0x0000000000000018", "error_code=0x0002", "location=mount_root+0x4c");
        sys.awaitConsole(2000);
        Runtime.getRuntime().halt(70); // dies here: no clean close, the ring stays behind
        return 70;
    }

    private void run(PrintWriter out, String... args) {
        out.println();
        out.println("$ " + launcher() + " " + String.join(" ", args).replace(parent.rootShownPath(), parent.rootShown()));
        out.flush();
        picocli.CommandLine cl = RayosCommand.commandLine();
        cl.setOut(out);
        cl.setErr(out);
        // the demo's output is one stream: lines straight to it, never a pager in the middle
        ((LogsCommand) cl.getSubcommands().get("logs").getCommand()).out =
                ConsoleDevice.unclosable(new FileOutputStream(FileDescriptor.out));
        cl.execute(args);
        out.flush();
    }

    /**
     * How the user started this command, for the commands the demo shows: the launcher's path as
     * typed ({@code ./rayos}, set by that script in {@code RAYOS_COMMAND}), else {@code rayos}.
     */
    static String launcher() {
        String c = System.getenv("RAYOS_COMMAND");
        return c == null || c.isBlank() || c.chars().anyMatch(ch -> ch < 0x20 || ch == ' ') ? "rayos" : c;
    }

    private static long ringFiles(RootLayout layout) throws IOException {
        try (Stream<Path> s = Files.list(layout.ringDir())) {
            return s.count();
        }
    }

    private static long lines(Path f) throws IOException {
        try (Stream<String> s = Files.lines(f)) {
            return s.count();
        }
    }

    private static void say(PrintWriter out, String s) {
        out.println(s.isEmpty() ? "" : "== " + s);
        out.flush();
    }

    private static void row(PrintWriter out, RootLayout layout, Path p, String what) {
        out.printf("   %-60s %s%n", layout.relative(p), what);
    }
}
