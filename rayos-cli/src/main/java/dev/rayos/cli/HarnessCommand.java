package dev.rayos.cli;

import dev.rayos.harness.Expectation;
import dev.rayos.harness.HarnessLog;
import dev.rayos.harness.HarnessRun;
import dev.rayos.harness.JUnitReport;
import dev.rayos.harness.MachineConfig;
import dev.rayos.harness.RunResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rayos harness}: boot RayOS images under QEMU and watch them ({@code docs/harness.md}). */
@Command(name = "harness", mixinStandardHelpOptions = true,
        description = "Boot a RayOS image under QEMU and watch it (docs/harness.md).",
        subcommands = HarnessCommand.Run.class)
final class HarnessCommand implements Runnable {
    @ParentCommand
    RayosCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code rayos harness run}: a thin layer over {@link HarnessRun}. */
    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Start qemu-system-x86_64, wait for each --expect marker in order, bridge host events,",
                "watch QEMU over QMP, and end with an outcome. The console is echoed on stdout; the harness's",
                "own log lines (component harness) go to stderr. A kernel crash on the console is written as a",
                "crash report under the root (var/rayos/crash/panics/)."},
            footer = {"", "Examples:",
                "  rayos harness run --kernel vmlinuz --initrd initrd.img \\",
                "      --append console=ttyS0 --expect RAYOS_READY@60s --report junit.xml",
                "  rayos harness run --drive rayos.img \\",
                "      --expect RAYOS_KERNEL_START@30s --expect RAYOS_READY@2m"})
    static final class Run implements Callable<Integer> {
        @ParentCommand
        HarnessCommand harness;

        @Spec
        CommandSpec spec;

        @Option(names = "--kernel", paramLabel = "FILE", description = "Kernel to boot directly (-kernel).")
        Path kernel;
        @Option(names = "--initrd", paramLabel = "FILE", description = "Initramfs for --kernel (-initrd).")
        Path initrd;
        @Option(names = "--append", paramLabel = "CMDLINE", description = "Kernel command line for --kernel (-append).")
        String append;
        @Option(names = "--drive", paramLabel = "FILE", description = "Disk image (raw, or qcow2 by name), opened snapshot=on.")
        Path drive;
        @Option(names = "--image", paramLabel = "FILE", description = "A bootable disk image (rayos image build), booted by firmware.")
        Path image;
        @Option(names = "--firmware", paramLabel = "FW", defaultValue = "uefi",
                description = "Firmware for --image: uefi (OVMF, a fresh variable store per run) (default ${DEFAULT-VALUE}).")
        String firmware;
        @Option(names = "--boots", paramLabel = "N", defaultValue = "1",
                description = "Follow the machine through N boots (guest reboots allowed); 1 keeps -no-reboot (default ${DEFAULT-VALUE}).")
        int boots;
        @Option(names = "--keep-disk", description = "Let the run write --image/--drive itself (default: a copy-on-write overlay, discarded).")
        boolean keepDisk;
        @Option(names = "--no-watchdog-device", description = "With --image: no i6300esb watchdog device (the guest falls back to a software timer).")
        boolean noWatchdogDevice;
        @Option(names = "--send", paramLabel = "[K:]MARKER=TEXT",
                description = "Once MARKER appears on the console (in boot K), type TEXT and Enter; repeatable, in order.")
        List<String> sends = new ArrayList<>();
        @Option(names = "--memory", paramLabel = "MIB", description = "Guest memory in MiB (default 256, 1024 with --image).")
        Integer memory;
        @Option(names = "--qemu", paramLabel = "PATH", defaultValue = "qemu-system-x86_64", description = "QEMU binary (default ${DEFAULT-VALUE}).")
        String qemu;
        @Option(names = "--accel", paramLabel = "ACCEL", defaultValue = "tcg", description = "QEMU accelerator (default ${DEFAULT-VALUE}).")
        String accel;
        @Option(names = "--qemu-arg", paramLabel = "ARG", description = "Extra QEMU argument, repeatable, passed as is (no shell).")
        List<String> qemuArgs = new ArrayList<>();
        @Option(names = "--no-pvpanic", description = "Do not add -device pvpanic.")
        boolean noPvpanic;

        @Option(names = "--expect", paramLabel = "MARKER[@TIMEOUT]", required = true,
                description = "Marker to wait for, repeatable, in order; TIMEOUT like 30s, 500ms, 2m.")
        List<String> expect = new ArrayList<>();
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", description = "Default per-marker timeout (default ${DEFAULT-VALUE}).")
        String timeout;
        @Option(names = "--fail-on", paramLabel = "REGEX", description = "End the run failed when a console line matches, repeatable.")
        List<String> failOn = new ArrayList<>();

        @Option(names = "--silence-limit", paramLabel = "DURATION", description = "Console silence that counts as unresponsive (off by default).")
        String silenceLimit;
        @Option(names = "--watchdog-interval", paramLabel = "DURATION", defaultValue = "1s", description = "How often query-status is sent (default ${DEFAULT-VALUE}).")
        String watchdogInterval;
        @Option(names = "--watchdog-deadline", paramLabel = "DURATION", defaultValue = "3s", description = "Reply deadline of query-status (default ${DEFAULT-VALUE}).")
        String watchdogDeadline;
        @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "2s", description = "Wait after QMP quit, SIGTERM and SIGKILL each (default ${DEFAULT-VALUE}).")
        String grace;

        @Option(names = "--report", paramLabel = "FILE.xml", description = "Write a JUnit XML report (one test case per --expect).")
        Path report;
        @Option(names = "--serial-log", paramLabel = "FILE", description = "Write the raw console to FILE.")
        Path serialLog;
        @Option(names = {"-q", "--quiet"}, description = "Do not echo the console on stdout.")
        boolean quiet;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Duration defaultTimeout = duration("--timeout", timeout);
            List<Expectation> expectations = new ArrayList<>();
            for (String e : expect) {
                try {
                    expectations.add(Expectation.parse(e, defaultTimeout));
                } catch (IllegalArgumentException x) {
                    throw new UserError("--expect '" + RayosCommand.oneLine(e) + "': " + x.getMessage());
                }
            }
            if (image != null && drive != null) {
                throw new UserError("give --image or --drive, not both");
            }
            if (!firmware.equals("uefi")) {
                throw new UserError("--firmware '" + RayosCommand.oneLine(firmware) + "' is not known (uefi)");
            }
            String[] names = {"--kernel", "--initrd", "--drive", "--image"};
            Path[] given = {kernel, initrd, drive, image};
            for (int i = 0; i < given.length; i++) {
                if (given[i] != null) {
                    Args.inputFile(names[i], given[i]);
                }
            }
            MachineConfig.Builder b = MachineConfig.builder().qemu(qemu).accel(accel)
                    .memoryMb(memory != null ? memory : image != null ? 1024 : 256)
                    .kernel(kernel).initrd(initrd).append(append).drive(image != null ? image : drive).pvpanic(!noPvpanic)
                    .uefi(image != null).watchdogDevice(image != null && !noWatchdogDevice).boots(boots).keepDisk(keepDisk)
                    .watchdogInterval(duration("--watchdog-interval", watchdogInterval))
                    .watchdogDeadline(duration("--watchdog-deadline", watchdogDeadline))
                    .grace(duration("--grace", grace))
                    .silenceLimit(silenceLimit == null ? null : duration("--silence-limit", silenceLimit))
                    .serialLog(serialLog)
                    .echo(quiet ? null : new DecodingStream(out))
                    .events(new HarnessLog(err, Clock.systemUTC()));
            qemuArgs.forEach(b::qemuArg);
            for (String sd : sends) {
                try {
                    b.send(dev.rayos.harness.Send.parse(sd));
                } catch (IllegalArgumentException x) {
                    throw new UserError("--send '" + RayosCommand.oneLine(sd) + "': " + x.getMessage());
                }
            }
            for (String f : failOn) {
                try {
                    b.failOn(Pattern.compile(f));
                } catch (PatternSyntaxException x) {
                    throw new UserError("--fail-on '" + RayosCommand.oneLine(f) + "' is not a regex: " + RayosCommand.oneLine(x.getDescription()));
                }
            }
            MachineConfig config;
            try {
                config = b.build();
            } catch (IllegalArgumentException x) {
                throw new UserError(x.getMessage());
            }
            RunResult r = HarnessRun.run(config, expectations, harness.parent.layout());
            out.flush();
            if (report != null) {
                JUnitReport.write(r, "rayos-harness", report);
            }
            return r.outcome().exitCode();
        }

        private static Duration duration(String option, String value) {
            Duration d = Expectation.parseDuration(value);
            if (d == null) {
                throw new UserError(option + " '" + RayosCommand.oneLine(value) + "' is not a duration like 30s, 500ms or 2m");
            }
            return d;
        }
    }

    /** Echoes console bytes to a character writer, decoding UTF-8 sequences split across reads. */
    static final class DecodingStream extends OutputStream {
        private final PrintWriter out;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private byte[] carry = new byte[0];

        DecodingStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            byte[] in = new byte[carry.length + len];
            System.arraycopy(carry, 0, in, 0, carry.length);
            System.arraycopy(b, off, in, carry.length, len);
            ByteBuffer bb = ByteBuffer.wrap(in);
            CharBuffer cb = CharBuffer.allocate(in.length + 1);
            decoder.decode(bb, cb, false);
            carry = new byte[bb.remaining()];
            bb.get(carry);
            cb.flip();
            out.append(cb);
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
