package dev.rayos.log.crash;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.Timestamp;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Linux kernel crash (x86_64, arm64, arm) as read from a serial console: what happened,
 * where, and the console lines it was read from.
 *
 * <p>An oops (or {@code BUG:}) that is followed by a {@code Kernel panic - not syncing}
 * is <em>one</em> crash: the panic is the consequence ({@code Fatal exception}, {@code
 * Attempted to kill init!}), and the oops carries the registers and the fault. Such a crash
 * has {@link #kind()} of the oops and {@link #panicked()} true.
 *
 * @param kind          the first crash headline seen
 * @param reason        the first headline as printed, e.g. {@code Kernel panic - not syncing:
 *                      sysrq triggered crash} or {@code BUG: kernel NULL pointer dereference,
 *                      address: 0000000000000000}
 * @param panicReason   the text after {@code not syncing: } when the crash ended in a panic
 * @param headlines     every headline of the crash in order (BUG, Oops, panic …)
 * @param registers     register name as printed ({@code RAX}, {@code x29}, {@code sp}) to
 *                      {@code 0x} + the digits printed; the first dump wins, because the oops
 *                      prints the faulting context first and repeats it after {@code ---[ end
 *                      trace}
 * @param faultAddress  the address a {@code BUG:}/{@code Unable to handle kernel …} headline
 *                      names, else {@code CR2} of a page fault, as {@code 0x…}; never for a
 *                      general protection fault, which has none
 * @param errorCode     the fault's own code ({@code #PF: error_code(0x…)}, arm64 {@code ESR}),
 *                      else the die() code of the oops headline ({@code Oops: 0002 [#1]},
 *                      {@code Internal error: Oops: 96000005 [#1]}), as {@code 0x…}
 * @param rip           where: the kernel's {@code RIP:}, arm's {@code pc :} or {@code PC is
 *                      at}, e.g. {@code sysrq_handle_crash+0x16/0x20}; else where a {@code
 *                      BUG:} headline says; else the user-space {@code RIP: 0033:}, e.g.
 *                      {@code 0x47b7a0}
 * @param callTrace     frames of the first {@code Call Trace:}, {@code ? } kept on frames
 *                      the unwinder was unsure of
 * @param kernelRelease from the {@code CPU:} line, e.g. {@code 6.1.0-56-amd64}
 * @param task          {@code comm[pid] cpu=N} from the {@code CPU:} line
 * @param uptime        printk timestamp of the first headline in seconds, e.g. {@code 2.394557}
 * @param firstLine     1-based line number of the first headline in the scanned text
 * @param lastLine      1-based line number of the last line that belonged to the crash
 * @param excerpt       the console lines of the crash as printed (line ends removed),
 *                      including output interleaved with it; capped
 * @param notes         further things the text says, written as report attributes: {@code lr}
 *                      (arm's caller), {@code non_canonical_address} (the kernel's guess for a
 *                      #GP), {@code no_fault_address} (why a report has none),
 *                      {@code concurrent_headline} (another task's headline printed into
 *                      this crash, with its caller id)
 * @param truncated     whether the excerpt, a line or the trace was cut at a cap
 */
public record KernelCrash(
        Kind kind,
        String reason,
        Optional<String> panicReason,
        List<String> headlines,
        Map<String, String> registers,
        Optional<String> faultAddress,
        Optional<String> errorCode,
        Optional<String> rip,
        List<String> callTrace,
        Optional<String> kernelRelease,
        Optional<String> task,
        Optional<String> uptime,
        long firstLine,
        long lastLine,
        List<String> excerpt,
        Map<String, String> notes,
        boolean truncated) {

    /** What kind of report the kernel printed first. */
    public enum Kind {
        /** {@code Kernel panic - not syncing: …} without an oops before it. */
        PANIC,
        /** {@code BUG: …}, {@code kernel BUG at …}, arm {@code Unable to handle kernel …}. */
        BUG,
        /** {@code Oops: …}, {@code invalid opcode: …}, arm {@code Internal error: …}. */
        OOPS,
        /** {@code general protection fault …} (6.9+: {@code Oops: general protection fault …}). */
        GENERAL_PROTECTION;

        /** Lower-case name used in crash reports ({@code kind=}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public KernelCrash {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        headlines = List.copyOf(headlines);
        registers = Collections.unmodifiableMap(new LinkedHashMap<>(registers));
        callTrace = List.copyOf(callTrace);
        excerpt = List.copyOf(excerpt);
        notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes));
    }

    /**
     * A crash report builder filled from this crash ({@code source=kernel}); the caller adds
     * version, build id, last lines and an {@code origin} as it knows them.
     *
     * @param time when the crash was captured or, for text read later, ingested
     */
    public CrashReport.Builder report(BootId boot, Timestamp time) {
        CrashReport.Builder b = CrashReport.builder(boot, time, CrashReport.Source.KERNEL, reason)
                .kind(kind.label())
                .faultAddress(faultAddress.orElse(null))
                .errorCode(errorCode.orElse(null))
                .location(rip.orElse(null))
                .attribute("panic_reason", panicReason.orElse(null))
                .attribute("kernel_release", kernelRelease.orElse(null))
                .attribute("task", task.orElse(null))
                .attribute("uptime", uptime.orElse(null))
                .attribute("console_lines", firstLine + "-" + lastLine)
                .attribute("truncated", truncated ? "true" : null)
                .registers(registers)
                .stack(callTrace)
                .excerpt(excerpt);
        notes.forEach(b::attribute);
        for (int i = 1; i < headlines.size(); i++) {
            b.attribute("headline_" + (i + 1), headlines.get(i));
        }
        return b;
    }

    /** Whether the machine ended in {@code Kernel panic - not syncing}. */
    public boolean panicked() {
        return panicReason.isPresent();
    }
}
