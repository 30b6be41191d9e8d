package dev.rayos.log.crash;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.Timestamp;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One JVM fatal error as read from a HotSpot error log ({@code hs_err_pid<N>.log}).
 *
 * @param reason           the error line of the log's banner, e.g. {@code SIGSEGV (0xb) at
 *                         pc=0x00007f5d458d2f94, pid=3964, tid=3965} or {@code Internal Error
 *                         (…)}
 * @param signal           {@code SIGSEGV}, {@code SIGBUS} … when a signal killed the JVM; on
 *                         Windows the exception, e.g. {@code EXCEPTION_ACCESS_VIOLATION}
 * @param signalCode       {@code si_code} name, e.g. {@code SEGV_MAPERR} (its number when the
 *                         JDK printed no name)
 * @param exceptionCode    Windows: the exception code, e.g. {@code 0xc0000005}
 * @param access           Windows access violation: {@code read}, {@code write} or {@code
 *                         execute}
 * @param faultAddress     {@code si_addr}, or Windows' {@code reading address …}, as printed
 *                         ({@code 0x…})
 * @param pc               program counter from the banner ({@code pc=0x…})
 * @param pid              process id from the banner
 * @param registers        the {@code Registers:} section: name to value as printed ({@code
 *                         0x…}), in order; x86_64 has RAX…R15, RIP, EFLAGS, CSGSFS, ERR, TRAPNO
 * @param problematicFrame the banner's problematic frame, e.g. {@code V  [libjvm.so+0xed2f94]
 *                         Unsafe_PutLong+0x124}
 * @param jreVersion       the {@code JRE version:} text
 * @param vmVersion        the {@code Java VM:} text
 * @param thread           the {@code Current thread} description
 * @param time             the {@code Time:} line's text (the JVM's local format); JDK ≤ 8's
 *                         {@code time:} line with its {@code timezone:} after it
 * @param detail           the banner line under the error line, when there is one: {@code Native
 *                         memory allocation (mmap) failed to map 12288 bytes …}, {@code fatal
 *                         error: …}
 * @param frames           native frames (which include Java frames) or, when absent, Java
 *                         frames; capped
 * @param excerpt          the banner lines (the {@code #} block at the top); capped
 * @param truncated        whether a cap cut something
 */
record JvmCrash(
        String reason,
        Optional<String> signal,
        Optional<String> signalCode,
        Optional<String> exceptionCode,
        Optional<String> access,
        Optional<String> faultAddress,
        Optional<String> pc,
        Optional<String> pid,
        Map<String, String> registers,
        Optional<String> problematicFrame,
        Optional<String> jreVersion,
        Optional<String> vmVersion,
        Optional<String> thread,
        Optional<String> time,
        Optional<String> detail,
        List<String> frames,
        List<String> excerpt,
        boolean truncated) {

    public JvmCrash {
        Objects.requireNonNull(reason, "reason");
        registers = Collections.unmodifiableMap(new LinkedHashMap<>(registers));
        frames = List.copyOf(frames);
        excerpt = List.copyOf(excerpt);
    }

    /**
     * A crash report builder filled from this crash ({@code source=jvm}, {@code kind} the
     * signal); the caller adds version, build id, last lines and an {@code origin}.
     *
     * @param at when the crash was captured or, for a log read later, ingested
     */
    public CrashReport.Builder report(BootId boot, Timestamp at) {
        return CrashReport.builder(boot, at, CrashReport.Source.JVM, reason)
                .kind(signal.orElse(null))
                .faultAddress(faultAddress.orElse(null))
                .errorCode(errorCode().orElse(null))
                .location(problematicFrame.orElse(null))
                .attribute("si_code", signalCode.orElse(null))
                .attribute("exception_code", exceptionCode.orElse(null))
                .attribute("access", access.orElse(null))
                .attribute("pc", pc.orElse(null))
                .attribute("pid", pid.orElse(null))
                .attribute("trap_no", trapNumber().orElse(null))
                .attribute("jre_version", jreVersion.orElse(null))
                .attribute("vm_version", vmVersion.orElse(null))
                .attribute("thread", thread.orElse(null))
                .attribute("jvm_time", time.orElse(null))
                .attribute("detail", detail.orElse(null))
                .attribute("truncated", truncated ? "true" : null)
                .registers(registers)
                .stack(frames)
                .excerpt(excerpt);
    }

    /**
     * {@code ERR} from the register section: the page-fault error code on x86_64; only for a
     * signal, since without one (an {@code Internal Error}) the registers are no fault's context.
     */
    public Optional<String> errorCode() {
        return signal.isEmpty() ? Optional.empty() : Optional.ofNullable(registers.get("ERR"));
    }

    /** {@code TRAPNO} from the register section: 0xe is a page fault on x86_64. */
    public Optional<String> trapNumber() {
        return Optional.ofNullable(registers.get("TRAPNO"));
    }
}
