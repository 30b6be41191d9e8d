package dev.rayos.harness;

import dev.rayos.log.time.LogClock;
import dev.rayos.harness.bridge.HostOp;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Everything {@link Machine#boot} needs: what to boot, how to watch it, where output goes.
 * Build with {@link #builder()}; every field but the image has a default that works for a
 * small guest under TCG.
 */
public final class MachineConfig {
    final String qemu;
    final Path kernel;
    final Path initrd;
    final String append;
    final Path drive;
    final int memoryMb;
    final String accel;
    final List<String> extraArgs;
    final boolean pvpanic;
    final Duration startTimeout;
    final Duration watchdogInterval;
    final Duration watchdogDeadline;
    final Duration silenceLimit;
    final Duration grace;
    final Duration crashSettle;
    final List<Pattern> failOn;
    final Map<String, HostOp> hostOps;
    final int bridgeMaxPerSecond;
    final OutputStream echo;
    final Path serialLog;
    final Consumer<HarnessEvent> events;
    final LogClock clock;
    final boolean uefi;
    final int boots;
    final boolean keepDisk;
    final boolean watchdogDevice;
    final List<Send> sends;

    /** Where QEMU's UEFI firmware (OVMF, Debian's {@code ovmf}) is: code read-only, variables copied per run. */
    public static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    public static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

    private MachineConfig(Builder b) {
        qemu = b.qemu;
        kernel = b.kernel;
        initrd = b.initrd;
        append = b.append;
        drive = b.drive;
        memoryMb = b.memoryMb;
        accel = b.accel;
        extraArgs = List.copyOf(b.extraArgs);
        pvpanic = b.pvpanic;
        startTimeout = b.startTimeout;
        watchdogInterval = b.watchdogInterval;
        watchdogDeadline = b.watchdogDeadline;
        silenceLimit = b.silenceLimit;
        grace = b.grace;
        crashSettle = b.crashSettle;
        failOn = List.copyOf(b.failOn);
        hostOps = b.hostOps;
        bridgeMaxPerSecond = b.bridgeMaxPerSecond;
        echo = b.echo;
        serialLog = b.serialLog;
        events = b.events;
        clock = b.clock;
        uefi = b.uefi;
        boots = b.boots;
        keepDisk = b.keepDisk;
        watchdogDevice = b.watchdogDevice;
        sends = List.copyOf(b.sends);
    }

    /** Whether the run follows the guest through reboots (more than one boot). */
    boolean multiBoot() {
        return boots > 1;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The QEMU command line this config gives, for sockets in {@code dir}.
     *
     * @param vars the per-run copy of the UEFI variable store (used with {@link Builder#uefi})
     */
    List<String> commandLine(Path serialSocket, Path qmpSocket, Path vars) {
        List<String> cmd = new ArrayList<>();
        cmd.add(qemu);
        cmd.addAll(List.of("-accel", accel, "-m", Integer.toString(memoryMb)));
        // -nodefaults: no default serial/monitor/VGA competing with ours; -S: CPUs stay
        // stopped until the harness has both sockets connected and sends `cont`, so no
        // console output is lost before the reader is attached. A run of one boot keeps
        // -no-reboot: a guest that reboots ends it (qemu_exited).
        cmd.addAll(List.of("-display", "none", "-nodefaults", "-no-user-config", "-S"));
        if (!multiBoot()) {
            cmd.add("-no-reboot");
        }
        if (uefi) {
            cmd.addAll(List.of("-machine", "q35",
                    "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                    "-drive", "if=pflash,format=raw,file=" + vars));
        }
        if (watchdogDevice) {
            // the guest's boot watchdog: a reset, not a power-off, so boot counting sees the next try
            cmd.addAll(List.of("-device", "i6300esb", "-action", "watchdog=reset"));
        }
        cmd.addAll(List.of("-chardev", "socket,id=rayos-serial,path=" + serialSocket + ",server=on,wait=off"));
        cmd.addAll(List.of("-serial", "chardev:rayos-serial"));
        cmd.addAll(List.of("-qmp", "unix:" + qmpSocket + ",server=on,wait=off"));
        if (pvpanic) {
            // panic=none: QEMU reports GUEST_PANICKED but lets the kernel finish printing its
            // crash text; the harness decides when to stop.
            cmd.addAll(List.of("-device", "pvpanic", "-action", "panic=none"));
        }
        if (kernel != null) {
            cmd.addAll(List.of("-kernel", kernel.toString()));
        }
        if (initrd != null) {
            cmd.addAll(List.of("-initrd", initrd.toString()));
        }
        if (append != null) {
            cmd.addAll(List.of("-append", append));
        }
        if (drive != null) {
            String name = drive.getFileName().toString();
            String format = name.endsWith(".qcow2") ? "qcow2" : "raw";
            // snapshot=on: the run never changes the image it was given (unless asked to keep
            // changes); writes live in QEMU's overlay for the whole run, across guest reboots
            cmd.addAll(List.of("-drive", "file=" + drive + ",format=" + format + (uefi ? ",if=virtio" : "")
                    + (keepDisk ? "" : ",snapshot=on")));
        }
        cmd.addAll(extraArgs);
        return cmd;
    }

    /** Mutable builder; {@link #build()} checks that there is something to boot. */
    public static final class Builder {
        private String qemu = "qemu-system-x86_64";
        private Path kernel;
        private Path initrd;
        private String append;
        private Path drive;
        private int memoryMb = 256;
        private String accel = "tcg";
        private final List<String> extraArgs = new ArrayList<>();
        private boolean pvpanic = true;
        private Duration startTimeout = Duration.ofSeconds(10);
        private Duration watchdogInterval = Duration.ofSeconds(1);
        private Duration watchdogDeadline = Duration.ofSeconds(3);
        private Duration silenceLimit;
        private Duration grace = Duration.ofSeconds(2);
        private Duration crashSettle = Duration.ofMillis(1500);
        private final List<Pattern> failOn = new ArrayList<>();
        private Map<String, HostOp> hostOps;
        private int bridgeMaxPerSecond = 50;
        private OutputStream echo;
        private Path serialLog;
        private Consumer<HarnessEvent> events = e -> { };
        private LogClock clock = LogClock.system();
        private boolean uefi;
        private int boots = 1;
        private boolean keepDisk;
        private boolean watchdogDevice;
        private final List<Send> sends = new ArrayList<>();

        private Builder() {}

        /** Boot {@link #drive} through UEFI firmware (OVMF) with a fresh copy of its variables. */
        public Builder uefi(boolean uefi) { this.uefi = uefi; return this; }
        /** How many boots the run follows (guest reboots allowed up to this many); default 1. */
        public Builder boots(int boots) { this.boots = boots; return this; }
        /** Let the run write the drive itself (default: its changes are discarded). */
        public Builder keepDisk(boolean keep) { this.keepDisk = keep; return this; }
        /** Adds the i6300esb watchdog device, its expiry resetting the guest. */
        public Builder watchdogDevice(boolean on) { this.watchdogDevice = on; return this; }
        /** Console input to type when a marker appears (in order). */
        public Builder send(Send s) { this.sends.add(Objects.requireNonNull(s)); return this; }

        /** QEMU binary (name on PATH or path); default {@code qemu-system-x86_64}. */
        public Builder qemu(String qemu) { this.qemu = Objects.requireNonNull(qemu); return this; }
        public Builder kernel(Path kernel) { this.kernel = kernel; return this; }
        public Builder initrd(Path initrd) { this.initrd = initrd; return this; }
        public Builder append(String append) { this.append = append; return this; }
        /** A disk image; opened with {@code snapshot=on}, so it is never written. */
        public Builder drive(Path drive) { this.drive = drive; return this; }
        public Builder memoryMb(int memoryMb) { this.memoryMb = memoryMb; return this; }
        /** QEMU accelerator; default {@code tcg} (KVM is often unavailable in CI). */
        public Builder accel(String accel) { this.accel = Objects.requireNonNull(accel); return this; }
        /** Further QEMU arguments, appended as given (never through a shell). */
        public Builder qemuArg(String arg) { this.extraArgs.add(Objects.requireNonNull(arg)); return this; }
        /** Adds {@code -device pvpanic} so a kernel panic is reported over QMP; default on. */
        public Builder pvpanic(boolean pvpanic) { this.pvpanic = pvpanic; return this; }
        /** How long QEMU may take to open its sockets. */
        public Builder startTimeout(Duration d) { this.startTimeout = positive(d); return this; }
        /** How often the watchdog sends {@code query-status}. */
        public Builder watchdogInterval(Duration d) { this.watchdogInterval = positive(d); return this; }
        /** How long a {@code query-status} reply may take before QEMU counts as unresponsive. */
        public Builder watchdogDeadline(Duration d) { this.watchdogDeadline = positive(d); return this; }
        /** Console silence that counts as unresponsive; {@code null} (default) disables it. */
        public Builder silenceLimit(Duration d) { this.silenceLimit = d == null ? null : positive(d); return this; }
        /** The wait after each force-quit step (QMP quit, SIGTERM, SIGKILL). */
        public Builder grace(Duration d) { this.grace = positive(d); return this; }
        /** After a crash is seen, how long the console must be quiet before the run ends. */
        public Builder crashSettle(Duration d) { this.crashSettle = positive(d); return this; }
        /** A regex that ends the run as {@link Outcome#FAIL_ON} when it matches a console line. */
        public Builder failOn(Pattern p) { this.failOn.add(Objects.requireNonNull(p)); return this; }
        /** The bridge's op table; default {@link dev.rayos.harness.bridge.HostBridge#standardOps}. */
        public Builder hostOps(Map<String, HostOp> ops) { this.hostOps = Map.copyOf(ops); return this; }
        public Builder bridgeMaxPerSecond(int n) { this.bridgeMaxPerSecond = n; return this; }
        /** Where the console is echoed as read; {@code null} for none. */
        public Builder echo(OutputStream echo) { this.echo = echo; return this; }
        /** A file receiving the raw console bytes. */
        public Builder serialLog(Path file) { this.serialLog = file; return this; }
        /** Receives the harness's own events (to format as log lines). */
        public Builder events(Consumer<HarnessEvent> events) { this.events = Objects.requireNonNull(events); return this; }
        /** The monotonic clock every wait, deadline and silence of the run is measured on (tests set their own). */
        Builder clock(LogClock clock) { this.clock = Objects.requireNonNull(clock); return this; }

        public MachineConfig build() {
            if (kernel == null && drive == null && extraArgs.isEmpty()) {
                throw new IllegalArgumentException("nothing to boot: give a kernel, a drive or QEMU arguments");
            }
            if ((initrd != null || append != null) && kernel == null) {
                throw new IllegalArgumentException("--initrd and --append need --kernel");
            }
            if (boots < 1 || boots > 99) {
                throw new IllegalArgumentException("--boots must be 1..99");
            }
            if (uefi && drive == null) {
                throw new IllegalArgumentException("--firmware uefi boots a disk image: give --image");
            }
            if (uefi && (!java.nio.file.Files.isReadable(OVMF_CODE) || !java.nio.file.Files.isReadable(OVMF_VARS))) {
                throw new IllegalArgumentException("no UEFI firmware at " + OVMF_CODE + " (Debian's ovmf; run .ci/install-machine.sh)");
            }
            if (memoryMb < 16 || memoryMb > 65536) {
                throw new IllegalArgumentException("memory out of range 16..65536 MiB: " + memoryMb);
            }
            return new MachineConfig(this);
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }
}
