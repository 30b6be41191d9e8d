package dev.rayos.log.crash;

import static dev.rayos.log.crash.KernelCrashText.ARM_PC;
import static dev.rayos.log.crash.KernelCrashText.ARM_PC_IS_AT;
import static dev.rayos.log.crash.KernelCrashText.ARM_REGISTER;
import static dev.rayos.log.crash.KernelCrashText.ARM_REGISTER_LINE;
import static dev.rayos.log.crash.KernelCrashText.CALL_TRACE;
import static dev.rayos.log.crash.KernelCrashText.CPU;
import static dev.rayos.log.crash.KernelCrashText.DANGLING_REGISTER;
import static dev.rayos.log.crash.KernelCrashText.END_TRACE;
import static dev.rayos.log.crash.KernelCrashText.ESR;
import static dev.rayos.log.crash.KernelCrashText.HEADLINE_ADDRESS;
import static dev.rayos.log.crash.KernelCrashText.HEADLINE_CODE;
import static dev.rayos.log.crash.KernelCrashText.IP;
import static dev.rayos.log.crash.KernelCrashText.LEADING_HEX;
import static dev.rayos.log.crash.KernelCrashText.NON_CANONICAL;
import static dev.rayos.log.crash.KernelCrashText.PAGE_FAULT;
import static dev.rayos.log.crash.KernelCrashText.PANIC;
import static dev.rayos.log.crash.KernelCrashText.PF_ERROR;
import static dev.rayos.log.crash.KernelCrashText.REGISTER;
import static dev.rayos.log.crash.KernelCrashText.REGISTER_LINE;
import static dev.rayos.log.crash.KernelCrashText.RIP;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The crash {@link KernelCrashScanner} is reading: what its lines said so far, turned into a
 * {@link KernelCrash} when it ends. Mutable, one per open crash.
 */
final class KernelCrashBuilder {
    static final String NO_FAULT_ADDRESS_GPF =
            "a general protection fault (#GP) reports no address; CR2 is left from an earlier page fault";

    private enum Trace { NONE, IN, DONE }

    final KernelCrash.Kind kind;
    private final long firstLine;
    private final String uptime;
    private final String caller;
    private final List<String> headlines = new ArrayList<>();
    private final Map<String, String> registers = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final List<String> frames = new ArrayList<>();
    private final List<String> excerpt = new ArrayList<>();
    private final List<String> pending = new ArrayList<>();
    private String panicReason;
    private String headlineAddress;
    private String cr2;
    private String errorCode;
    private boolean errorCodeFromFault;
    private boolean pageFault;
    private boolean generalProtection;
    private String location;
    private String headlineLocation;
    private String userLocation;
    private String locationFallback;
    private String kernelRelease;
    private String task;
    private boolean sawOops;
    private boolean endedTrace;
    private boolean truncated;
    private Trace trace = Trace.NONE;
    private String traceRip; // the code segment of the last RIP: inside the trace ("" without one)
    private String previous = "";
    private long lastLine;
    int gap;

    KernelCrashBuilder(KernelCrash.Kind kind, long firstLine, String uptime, String caller) {
        this.kind = kind;
        this.firstLine = firstLine;
        this.uptime = uptime;
        this.caller = caller;
    }

    /** Whether a line's printk caller id ({@code T123}, {@code C1}) is not the crash's own. */
    boolean otherCaller(String lineCaller) {
        return caller != null && lineCaller != null && !caller.equals(lineCaller);
    }

    /**
     * Whether a headline on a line of another printk caller comes while this crash is still
     * printing (no {@code ---[ end trace} yet): two tasks faulted at once and their reports
     * interleave, the other one usually cut off by this one's panic.
     */
    boolean concurrent(String lineCaller) {
        return otherCaller(lineCaller) && !endedTrace && panicReason == null;
    }

    /** The other task's headline, kept in the excerpt and named in a note; its lines are not read. */
    void concurrentHeadline(String line, String lineCaller, String message) {
        foreign(line, message);
        notes.putIfAbsent("concurrent_headline", lineCaller + ": " + message);
    }

    /** Whether a headline of this kind continues this crash rather than starting one. */
    boolean absorbs(KernelCrash.Kind next) {
        if (panicReason != null) {
            return false;
        }
        switch (next) {
            case PANIC:
                return true; // the panic that an oops or BUG ends in
            case OOPS:
            case GENERAL_PROTECTION:
                // "BUG: unable to handle …" (arm: "Unable to handle …") is followed by its own oops line
                return kind == KernelCrash.Kind.BUG && !sawOops && !endedTrace;
            default:
                return false;
        }
    }

    /** A console line that belongs to the crash; lines held as foreign before it are kept too. */
    void take(String line, boolean cut, long lineNumber) {
        for (String p : pending) {
            keep(p);
        }
        pending.clear();
        gap = 0;
        keep(line);
        truncated |= cut;
        lastLine = lineNumber;
    }

    private void keep(String line) {
        if (excerpt.size() < KernelCrashScanner.MAX_EXCERPT_LINES) {
            excerpt.add(line);
        } else {
            truncated = true;
        }
    }

    /** A line that is not crash text: kept only if more crash text follows. */
    void foreign(String line, String message) {
        gap++;
        previous = message;
        if (pending.size() < KernelCrashScanner.MAX_GAP_LINES) {
            pending.add(line);
        }
    }

    void headline(KernelCrash.Kind k, String message) {
        previous = message;
        if (headlines.size() < KernelCrashScanner.MAX_HEADLINES) {
            headlines.add(message);
        } else {
            truncated = true;
        }
        if (k == KernelCrash.Kind.PANIC) {
            Matcher m = PANIC.matcher(message);
            panicReason = m.matches() ? m.group(1) : message;
            return;
        }
        if (k == KernelCrash.Kind.OOPS || k == KernelCrash.Kind.GENERAL_PROTECTION) {
            sawOops = true;
        }
        Matcher code = HEADLINE_CODE.matcher(message);
        if (!errorCodeFromFault && errorCode == null && code.find()) {
            errorCode = "0x" + code.group(1);
        }
        if (k == KernelCrash.Kind.GENERAL_PROTECTION) {
            // #GP has no faulting address: the kernel's guess from the instruction is a note
            generalProtection = true;
            Matcher nc = NON_CANONICAL.matcher(message);
            if (nc.find()) {
                notes.putIfAbsent("non_canonical_address", nc.group(1));
            }
            return;
        }
        pageFault |= PAGE_FAULT.matcher(message).matches();
        Matcher where = KernelCrashText.HEADLINE_WHERE.matcher(message);
        if (headlineLocation == null && where.matches()) {
            headlineLocation = where.group(1) != null ? where.group(1) : where.group(2);
        }
        Matcher address = HEADLINE_ADDRESS.matcher(message);
        if (headlineAddress == null && address.find()) {
            headlineAddress = "0x" + address.group(1);
        }
    }

    /**
     * A console line whose beginning was the previous line, as a mail client or a paste breaks
     * long lines: read the two as one where that completes something the first left open.
     *
     * @return whether the line was read so
     */
    boolean continuation(String message) {
        String before = previous;
        String joined = before + message;
        if (kernelRelease == null && before.startsWith("CPU: ") && CPU.matcher(joined).find()) {
            body(joined);
        } else if (DANGLING_REGISTER.matcher(before).matches() && LEADING_HEX.matcher(message).matches()
                && (REGISTER_LINE.matcher(before).matches() || ARM_REGISTER_LINE.matcher(before).matches())) {
            body(before + " " + message);
        } else if (trace == Trace.IN && KernelCrashText.frame(before) == null
                && KernelCrashText.frame(joined) != null) {
            body(joined);
        } else {
            return false;
        }
        previous = message;
        return true;
    }

    void body(String message) {
        previous = message;
        if (CALL_TRACE.matcher(message).matches()) {
            trace = trace == Trace.NONE ? Trace.IN : Trace.DONE;
            return;
        }
        if (END_TRACE.matcher(message).matches()) {
            endedTrace = true;
        }
        if (trace == Trace.IN) {
            String frame = KernelCrashText.frame(message);
            if (frame != null) {
                if (frames.size() < KernelCrashScanner.MAX_TRACE_FRAMES) {
                    frames.add(frame);
                } else {
                    truncated = true;
                }
                return;
            }
            // At "Code: " only after the system call's user-space registers (RIP: 0033:), or with
            // none: the kernel registers of an interrupted context (RIP: 0010:, Code:, RSP: … where
            // an IRQ stack meets the task's) are followed by the rest of the task's frames.
            Matcher rip = RIP.matcher(message);
            if (rip.matches()) {
                traceRip = rip.group(1) == null ? "" : rip.group(1);
            }
            boolean userOrNoRip = traceRip == null || traceRip.equals("0033") || traceRip.equals("0023");
            if (message.equals("</TASK>") || message.startsWith("---[ ") || message.startsWith("Modules linked in:")
                    || (message.startsWith("Code: ") && userOrNoRip)) {
                trace = Trace.DONE;
            }
        }
        Matcher m;
        if ((m = RIP.matcher(message)).matches()) {
            rip(m);
        } else if ((m = ARM_PC.matcher(message)).matches() || (m = ARM_PC_IS_AT.matcher(message)).matches()) {
            pc(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2).strip());
        } else if (message.startsWith("pc : ") || ARM_REGISTER_LINE.matcher(message).matches()
                || message.startsWith("pstate: ")) {
            armRegisters(message);
        } else if (REGISTER_LINE.matcher(message).matches()) {
            registers(message);
        } else if ((m = PF_ERROR.matcher(message)).find() || (m = ESR.matcher(message)).find()) {
            if (!errorCodeFromFault) {
                errorCode = "0x" + m.group(1);
                errorCodeFromFault = true; // the fault's own code wins over the die() code
            }
            pageFault |= message.startsWith("#PF");
        } else if ((m = IP.matcher(message)).matches()) {
            if (locationFallback == null) {
                locationFallback = afterAddress(m.group(1));
            }
        } else if (headlineAddress == null && (m = KernelCrashText.KASAN_ACCESS.matcher(message)).matches()) {
            headlineAddress = "0x" + m.group(1); // KASAN names the bad access on the line after its headline
        } else if (kernelRelease == null && (m = CPU.matcher(message)).find()) {
            kernelRelease = m.group(4);
            task = m.group(3).strip() + "[" + m.group(2) + "] cpu=" + m.group(1);
        }
    }

    private void rip(Matcher m) {
        if (location != null || userLocation != null) {
            return;
        }
        String where = afterAddress(m.group(2).strip()); // pre-4.x "[<addr>]  [<addr>] sym"
        if (m.group(1) != null) {
            registers.putIfAbsent("CS", "0x" + m.group(1));
        }
        if (where.matches("0x[0-9a-f]{1,16}")) {
            registers.putIfAbsent("RIP", where);
        }
        // the user-space context of the system call: where, only if the kernel says nothing better
        if ("0033".equals(m.group(1)) || "0023".equals(m.group(1))) {
            userLocation = where;
        } else {
            location = where;
        }
    }

    /** arm {@code pc : sym}, {@code PC is at sym}, {@code lr : sym}: where, and who called. */
    private void pc(String which, String where) {
        if (where.isEmpty()) {
            return;
        }
        if (which.equals("lr")) {
            notes.putIfAbsent("lr", where);
        } else if (where.endsWith(" [inline]")) {
            // syzkaller prints the inlined function first and the real one on the next pc line
            if (locationFallback == null) {
                locationFallback = where;
            }
        } else if (location == null) {
            location = where;
        }
    }

    private static String firstOf(String... candidates) {
        for (String c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static String afterAddress(String where) {
        int bracket = where.lastIndexOf("] ");
        return bracket >= 0 ? where.substring(bracket + 2).strip() : where;
    }

    private void registers(String message) {
        Matcher r = REGISTER.matcher(message);
        while (r.find()) {
            if (!put(r.group(1), "0x" + r.group(3))) {
                return;
            }
            if (r.group(2) != null && r.group(1).equals("RSP")) {
                registers.putIfAbsent("SS", "0x" + r.group(2)); // "RSP: 0018:ffff…" is ss:rsp
            }
            if (r.group(1).equals("CR2") && cr2 == null) {
                cr2 = "0x" + r.group(3);
            }
        }
    }

    private void armRegisters(String message) {
        Matcher r = ARM_REGISTER.matcher(message);
        while (r.find() && put(r.group(1), "0x" + r.group(2))) {
            // first value of each register wins, as on x86
        }
    }

    /** @return false when the register cap is reached */
    private boolean put(String name, String value) {
        if (registers.size() >= KernelCrashScanner.MAX_REGISTERS && !registers.containsKey(name)) {
            truncated = true;
            return false;
        }
        registers.putIfAbsent(name, value);
        return true;
    }

    KernelCrash build() {
        // CR2 is the faulting address only of a page fault; after a #GP or an invalid opcode
        // (BUG()) it still holds whatever page fault came before
        String fault = generalProtection ? null : headlineAddress != null ? headlineAddress : pageFault ? cr2 : null;
        Map<String, String> n = new LinkedHashMap<>(notes);
        if (generalProtection) {
            n.put("no_fault_address", NO_FAULT_ADDRESS_GPF);
        }
        return new KernelCrash(kind, headlines.get(0), Optional.ofNullable(panicReason), headlines,
                registers, Optional.ofNullable(fault), Optional.ofNullable(errorCode),
                Optional.ofNullable(firstOf(location, headlineLocation, userLocation, locationFallback)), frames,
                Optional.ofNullable(kernelRelease), Optional.ofNullable(task), Optional.ofNullable(uptime),
                firstLine, lastLine, excerpt, n, truncated);
    }
}
