package dev.rayos.log.crash;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one kernel console line is, once its printk prefix is gone: a crash headline, crash
 * text (body, register dump, trace frame) or neither. x86_64 and arm64 (also most of 32-bit
 * arm) as Linux 3.x–6.x print them; see {@code docs/crash-report.md}, "Reading kernel crashes".
 *
 * <p>Every pattern is anchored and every repetition bounded, so a hostile 1024-character line
 * costs linear time.
 */
final class KernelCrashText {
    static final Pattern PANIC = Pattern.compile("^Kernel panic - not syncing:? ?(.*)$");
    /**
     * x86 {@code BUG:}, {@code kernel BUG at}; arm's {@code Unable to handle kernel …} is the same report;
     * the lockup detector's {@code watchdog: BUG: soft lockup …} (before 4.14 {@code NMI watchdog: …}).
     */
    static final Pattern BUG = Pattern.compile("^(?:(?:NMI )?watchdog: )?(?:BUG: |kernel BUG at |Unable to handle kernel ).*");
    /** Since 6.9 x86 prefixes {@code Oops: } to the trap name, so this is tried before {@link #OOPS}. */
    static final Pattern GPF = Pattern.compile("^(?:Oops: )?general protection fault.*");
    /** x86 {@code Oops: 0002 [#1]}, {@code invalid opcode:}; arm {@code Internal error: Oops: 96000005 [#1]}. */
    static final Pattern OOPS = Pattern.compile("^(?:Oops: |invalid opcode: |Internal error: ).*");
    static final Pattern END_PANIC = Pattern.compile("^---\\[ end Kernel panic.*");
    static final Pattern END_TRACE = Pattern.compile("^---\\[ end trace.*");
    static final Pattern NEW_BOOT = Pattern.compile("^Linux version \\d.*");
    /** x86 and arm64 {@code Call Trace:}/{@code Call trace:}; 32-bit arm before 4.x {@code Backtrace:}. */
    static final Pattern CALL_TRACE = Pattern.compile("^(?:Call [Tt]race:|Backtrace: ?$).*");
    static final Pattern BODY = Pattern.compile(
            "^(?:CPU: |Hardware name: |Call [Tt]race:|Backtrace:|Code: |RIP: |RIP  |IP: |Modules linked in:|#PF: |PGD |P4D |PUD |PMD "
                    + "|Workqueue: |Kernel Offset: |---\\[ |Stack:|Rebooting in |Shutting down cpus"
                    + "|Dumping ftrace|note: |Fixing recursive fault|</?(?:TASK|IRQ|NMI|SOFTIRQ|EOE)>"
                    + "|Unloaded tainted modules|Sending NMI|NMI backtrace|Tainted: |\\? |task: |KASAN: |kasan: "
                    // arm64 and arm
                    + "|Mem abort info:|Data abort info:|ESR = |EC = |SET = |EA = |FSC = |ISV = |CM = |GCS = "
                    + "|(?:user|swapper) pgtable:|pgd = |\\[[0-9a-f]{8,16}\\] (?:\\*?pgd=|address between)"
                    + "|pstate: |pc : |lr : |sp : |PC is at |LR is at |Process .{1,64} \\(pid: |Exception stack\\("
                    + "|CPU features: |Memory Limit: |SMP: stopping|Flags: |Control: |Table: |Read of size |Write of size )");
    static final Pattern REGISTER_LINE = Pattern.compile(
            "^(?:R[A-Z0-9]{1,2}|FS|GS|CS|DS|ES|SS|CR[0-4]|DR[0-7]|EFLAGS|PKRU): .*");
    static final Pattern REGISTER = Pattern.compile(
            "([A-Za-z][A-Za-z0-9_]{0,7}):\\s{0,4}(?:([0-9a-f]{4}):)?([0-9a-f]{1,16})(?![0-9A-Za-z_:])");
    /** arm64 {@code x29: …}, {@code x9 : …}, {@code sp : …}; arm {@code r10: …  fp : …}. */
    static final Pattern ARM_REGISTER_LINE = Pattern.compile("^(?:x\\d{1,2}|r\\d{1,2}|sp|ip|fp) ?: [0-9a-f].*");
    /** One arm register; 4.x prints {@code pc : [<ffff…>] lr : [<ffff…>] pstate: 60000145}. */
    static final Pattern ARM_REGISTER = Pattern.compile(
            "\\b(x\\d{1,2}|r\\d{1,2}|sp|ip|fp|pc|lr|psr|pstate) ?: {1,4}(?:\\[<)?([0-9a-f]{8,16})(?:>\\])?(?![0-9A-Za-z_+])");
    static final Pattern ARM_PC = Pattern.compile("^(pc|lr) : (?!\\[<)(\\S.{0,300})$");
    static final Pattern ARM_PC_IS_AT = Pattern.compile("^(PC|LR) is at (\\S.{0,300})$");
    static final Pattern RIP = Pattern.compile("^RIP: (?:([0-9a-f]{4}):)?(.*)$");
    static final Pattern IP = Pattern.compile("^IP: (\\S.{0,300})$");
    static final Pattern PF_ERROR = Pattern.compile("^#PF: error_code\\(0x([0-9a-f]{1,16})\\)");
    static final Pattern ESR = Pattern.compile("^ESR = 0x([0-9a-f]{1,16})\\b");
    /** The die() code before {@code [#N]}: x86 {@code 0002}, arm64 {@code 96000005} or 16 digits, arm {@code 17}. */
    static final Pattern HEADLINE_CODE = Pattern.compile(": ([0-9a-f]{1,16}) \\[#\\d{1,6}\\]");
    static final Pattern HEADLINE_ADDRESS = Pattern.compile(
            "(?:address:?|dereference at|paging request at) (?:0x)?([0-9a-f]{8,16})\\b");
    static final Pattern NON_CANONICAL = Pattern.compile("non-canonical address (0x[0-9a-f]{1,16})\\b");
    /** Where a {@code BUG:} headline says it happened: {@code KASAN: … in sym}, {@code … at file.c:12}. */
    static final Pattern HEADLINE_WHERE = Pattern.compile(
            "^BUG: (?:KASAN: [\\w-]{1,64} in (\\S.{0,300})|.{1,200} at ([\\w./+-]{1,200}:\\d{1,7}))$");
    /** KASAN's {@code Write of size 1 at addr ffff88806acbf2bb by task insmod/5851}. */
    static final Pattern KASAN_ACCESS = Pattern.compile("^(?:Read|Write) of size \\d{1,10} at addr ([0-9a-f]{8,16})\\b.*");
    /** Headlines of a page fault: only then is CR2 the faulting address. */
    static final Pattern PAGE_FAULT = Pattern.compile(
            "(?i).*(?:unable to handle|page fault|NULL pointer dereference|paging request).*");
    /** {@code CPU: 5 PID: 0 Comm: swapper/5 [Kdump: loaded] Not tainted|Tainted: G  I 5.14.0 #1}. */
    static final Pattern CPU = Pattern.compile(
            "^CPU: (\\d{1,5}) (?:UID: \\d{1,10} )?PID: (\\d{1,10}) Comm: (.{1,16}?) (?:Kdump: loaded )?"
                    + "(?:Not tainted|Tainted: [A-Z ]{0,40}?) *(\\d\\S{0,100})");
    /**
     * The disassembly {@code scripts/decode_stacktrace.sh} prints under a {@code Code:} line
     * ({@code All code}, {@code ========}, {@code   2a:*\t44 8b 77 1c \tmov …}, {@code Code starting
     * with the faulting instruction}): crash text, kept in the excerpt, not read.
     */
    static final Pattern LISTING = Pattern.compile(
            "^(?:All code|Code starting with the faulting instruction|={4,80}|[0-9a-f]{1,8}:\\*?\\t.*)$");
    /** A register name left without its value at the end of a line that a mail client broke. */
    static final Pattern DANGLING_REGISTER = Pattern.compile(".*\\b[A-Za-z][A-Za-z0-9_]{0,7} ?:$");
    static final Pattern LEADING_HEX = Pattern.compile("^[0-9a-f]{4,16}(?![0-9A-Za-z_]).*");

    private static final String SYM = "[A-Za-z_.$][\\w.$]{0,200}";
    private static final String OFFSET = "\\+0x[0-9a-f]{1,16}/0x[0-9a-f]{1,16}";
    private static final String SOURCE = "[\\w./+-]{1,200}:\\d{1,7}";
    /** A source place as decode_stacktrace.sh prints it; {@code ??:?} where it found none. */
    private static final String DECODED_SOURCE = "(?:" + SOURCE + "|\\?\\?:\\?)(?: \\(discriminator \\d{1,6}\\))?";
    /** A trace frame, with the {@code [<address>] } of kernels before 4.9 split off. */
    static final Pattern FRAME = Pattern.compile("^(\\[<[0-9a-f]{8,16}>\\] {1,2})?((?:\\? )?(?:"
            // sym+0x12/0x30 [module], as printed; syzkaller adds " file.c:123 [inline]"
            + SYM + OFFSET + "(?: \\[[\\w-]{1,64}\\])?(?: " + SOURCE + "(?: \\[inline\\])?)?"
            // an inlined frame as syzkaller symbolizes it: "sym file.h:253 [inline]"
            + "|" + SYM + " " + SOURCE + "(?: \\[inline\\])?"
            // decode_stacktrace.sh: "sym (file.c:123 file.h:45 (discriminator 1)) module"
            + "|" + SYM + "(?:" + OFFSET + ")? \\(" + DECODED_SOURCE + "(?: " + DECODED_SOURCE + "){0,63}\\)"
            + "(?: \\[inline\\]| [\\w-]{1,64})?"
            // 32-bit arm: "unwind_backtrace from show_stack+0x10/0x14", before 4.x
            // "(unwind_backtrace+0x0/0xe0) from [<c0011d20>] (show_stack+0x10/0x14)"
            + "|" + SYM + "(?:" + OFFSET + ")? from " + SYM + OFFSET
            + "|\\(" + SYM + "(?:" + OFFSET + ")?\\) from \\[<[0-9a-f]{8,16}>\\] \\(" + SYM + OFFSET + "(?: \\[[\\w-]{1,64}\\])?\\)"
            + "|0x[0-9a-f]{1,16}))$");

    private KernelCrashText() {}

    /** The headline kind of a message, or {@code null}. */
    static KernelCrash.Kind headlineKind(String message) {
        if (PANIC.matcher(message).matches()) {
            return KernelCrash.Kind.PANIC;
        }
        if (BUG.matcher(message).matches()) {
            return KernelCrash.Kind.BUG;
        }
        if (GPF.matcher(message).matches()) {
            return KernelCrash.Kind.GENERAL_PROTECTION;
        }
        if (OOPS.matcher(message).matches()) {
            return KernelCrash.Kind.OOPS;
        }
        return null;
    }

    static boolean isCrashText(String message) {
        return BODY.matcher(message).lookingAt()
                || REGISTER_LINE.matcher(message).matches()
                || ARM_REGISTER_LINE.matcher(message).matches()
                || FRAME.matcher(message).matches();
    }

    /** The frame as kept in a report ({@code [<address>] } dropped), or {@code null} if not a frame. */
    static String frame(String message) {
        Matcher m = FRAME.matcher(message);
        return m.matches() ? m.group(2) : null;
    }
}
