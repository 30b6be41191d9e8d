package dev.rayos.cli;

import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.Marker;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.CategoryFile;
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
        description = {"Boot a simulated RayOS machine through the real stack (root ./rayos-data).",
            "On ./rayos-data (or --root DIR): early-boot lines held in the ring, the data partition mounted and the",
            "ring flushed, redacted input and AI events, the readiness markers; the serial console",
            "is printed as it goes, and at the end where everything landed. Run it again for",
            "another boot of the same machine."})
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Override
    public Integer call() throws Exception {
        RootLayout layout = new RootLayout(Path.of(parent.root != null ? parent.root : "rayos-data"));
        PrintWriter out = parent.spec.commandLine().getOut();
        Machine machine = new Machine(layout, LogClock.system());
        BootRecord boot = machine.boots().start(BootMode.NORMAL, true);
        say(out, "machine root " + layout.root() + " — boot #" + boot.seq() + ", id " + boot.id());
        say(out, "early boot: no data partition yet, lines wait in the ring "
                + layout.relative(layout.ringDir()) + "/; the serial console shows them:");
        OutputStream console = LogSystem.unclosable(new FileOutputStream(FileDescriptor.out));
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
            flushed = sys.ring().nextSeq();
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
        say(out, "all boots of this machine: " + boots(layout) + " log files in var/rayos/logs/boot/.");
        say(out, "try: ./rayos --root " + parent.rootShown() + " log kernel HELLO who=me");
        out.flush();
        return 0;
    }

    private static long lines(Path f) throws IOException {
        try (Stream<String> s = Files.lines(f)) {
            return s.count();
        }
    }

    private static int boots(RootLayout layout) throws IOException {
        return CategoryFile.segments(layout.categoryDir("boot")).size();
    }

    private static void say(PrintWriter out, String s) {
        out.println("== " + s);
        out.flush();
    }

    private static void row(PrintWriter out, RootLayout layout, Path p, String what) {
        out.printf("   %-60s %s%n", layout.relative(p), what);
    }
}
