package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The crash text forms beyond x86 as Linux 6.1 prints it: arm, GPFs, decoded traces, broken and syslog lines. */
class KernelCrashFormsTest {
    private static List<KernelCrash> scan(String text) throws IOException {
        return KernelCrashScanner.scan(new StringReader(text));
    }

    @Test
    void aGeneralProtectionFaultHasNoFaultAddressAndSaysWhy() throws IOException {
        String log = "general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI\n"
                + "CPU: 0 PID: 5 Comm: kworker/0:0 Not tainted 6.1.0-56-amd64 #1  Debian 6.1.192-2\n"
                + "RIP: 0010:list_del+0x9/0x30\n"
                + "CR2: 00007f0000001000 CR3: 0000000002a0e000 CR4: 00000000000006f0\n";

        KernelCrash c = scan(log).get(0);

        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.GENERAL_PROTECTION);
        // CR2 is what the last page fault left; the kernel's guess is kept as a note
        assertThat(c.faultAddress()).isEmpty();
        assertThat(c.registers()).containsEntry("CR2", "0x00007f0000001000");
        assertThat(c.notes()).containsEntry("non_canonical_address", "0xdead000000000100")
                .containsEntry("no_fault_address", KernelCrashBuilder.NO_FAULT_ADDRESS_GPF);
        assertThat(c.errorCode()).contains("0x0000");
        assertThat(c.task()).contains("kworker/0:0[5] cpu=0");
        CrashReport r = c.report(CrashReportFormatTest.BOOT, CrashReportFormatTest.T).build();
        assertThat(r.faultAddress()).isEmpty();
        assertThat(r.attributes().get("no_fault_address")).contains("reports no address");
    }

    @Test
    void aKernelBugHasNoFaultAddressEvenWithALeftoverCr2() throws IOException {
        String log = "kernel BUG at mm/filemap.c:1498!\n"
                + "Oops: invalid opcode: 0000 [#1] SMP KASAN PTI\n"
                + "RIP: 0010:folio_unlock+0x13d/0x160\n"
                + "CR2: 00007ffec346a000 CR3: 000000007d7e0000 CR4: 00000000003526f0\n";

        KernelCrash c = scan(log).get(0);

        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.BUG);
        assertThat(c.faultAddress()).isEmpty();
        assertThat(c.rip()).contains("folio_unlock+0x13d/0x160");
    }

    @Test
    void anArm64OopsIsReadIntoTheSameFieldsAndMergesWithItsPanic() throws IOException {
        String log = "[   10.1][    T1] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008\n"
                + "[   10.1][    T1] Mem abort info:\n"
                + "[   10.1][    T1]   ESR = 0x96000006\n"
                + "[   10.1][    T1] Internal error: Oops: 96000006 [#1] PREEMPT SMP\n"
                + "[   10.1][    T1] pstate: 80400005 (Nzcv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)\n"
                + "[   10.1][    T1] pc : demo_write+0x8/0x10 [demo]\n"
                + "[   10.1][    T1] lr : vfs_write+0xc7/0x3f0\n"
                + "[   10.1][    T1] sp : ffff80000ff1b910\n"
                + "[   10.1][    T1] x29: ffff80000ff1b910 x28: 0000000000000007 x27: fffffc000330a480\n"
                + "[   10.1][    T1] x2 : 0000000000000000 x1 : 0000000000000001 x0 : 0000000000000002\n"
                + "[   10.1][    T1] Call trace:\n"
                + "[   10.1][    T1]  demo_write+0x8/0x10 [demo]\n"
                + "[   10.1][    T1]  vfs_write+0xc7/0x3f0\n"
                + "[   10.1][    T1] Code: a9014ff4 910003fd (f9400674)\n"
                + "[   10.1][    T1] ---[ end trace 0000000000000000 ]---\n"
                + "[   10.2][    T1] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b\n";

        List<KernelCrash> crashes = scan(log);

        assertThat(crashes).hasSize(1);
        KernelCrash c = crashes.get(0);
        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.BUG);
        assertThat(c.panicked()).isTrue();
        assertThat(c.faultAddress()).contains("0x0000000000000008");
        assertThat(c.errorCode()).contains("0x96000006"); // ESR, not the die() code
        assertThat(c.rip()).contains("demo_write+0x8/0x10 [demo]");
        assertThat(c.notes()).containsEntry("lr", "vfs_write+0xc7/0x3f0");
        assertThat(c.registers()).containsEntry("x29", "0xffff80000ff1b910").containsEntry("x2", "0x0000000000000000")
                .containsEntry("x0", "0x0000000000000002").containsEntry("sp", "0xffff80000ff1b910")
                .containsEntry("pstate", "0x80400005").doesNotContainKey("pc");
        assertThat(c.callTrace()).containsExactly("demo_write+0x8/0x10 [demo]", "vfs_write+0xc7/0x3f0");
    }

    @Test
    void anArmDumpOfMoreRegistersThanTheCapKeepsTheFirstSixtyFourAndSaysItWasCut() throws IOException {
        StringBuilder log = new StringBuilder("Internal error: Oops: 96000006 [#1] PREEMPT SMP\n");
        for (int i = 0; i < 66; i += 3) { // x0..x65: two past the cap of 64
            log.append(String.format("x%d : %016x x%d : %016x x%d : %016x%n", i, i, i + 1, i + 1, i + 2, i + 2));
        }

        KernelCrash c = scan(log.toString()).get(0);

        assertThat(c.registers()).hasSize(64).containsEntry("x0", "0x0000000000000000")
                .containsEntry("x63", "0x000000000000003f").doesNotContainKeys("x64", "x65");
        assertThat(c.truncated()).isTrue();
    }

    @Test
    void anArmDumpOfExactlyTheCapIsKeptWholeAndNotCut() throws IOException {
        StringBuilder log = new StringBuilder("Internal error: Oops: 96000006 [#1] PREEMPT SMP\n");
        for (int i = 0; i < 64; i += 2) {
            log.append(String.format("x%d : %016x x%d : %016x%n", i, i, i + 1, i + 1));
        }

        KernelCrash c = scan(log.toString()).get(0);

        assertThat(c.registers()).hasSize(64).containsKey("x63");
        assertThat(c.truncated()).isFalse();
    }

    @Test
    void decodedTracesGiveTheirFramesAsPrinted() throws IOException {
        String log = "BUG: KASAN: slab-use-after-free in dst_destroy (net/core/dst.c:112)\n"
                + "Call Trace:\n"
                + " <IRQ>\n"
                + "dump_stack_lvl (lib/dump_stack.c:124)\n"
                + "? dst_destroy (net/core/dst.c:112)\n"
                + "lockdep_hardirqs_on_prepare (kernel/locking/lockdep.c:4339 kernel/locking/lockdep.c:4406)\n"
                + "cpumask_of_node (arch/x86/include/asm/topology.h:72) [inline]\n"
                + "dump_stack_lvl (lib/dump_stack.c:107 (discriminator 1)) \n"
                + "close_candev (drivers/net/can/dev/dev.c:389) can_dev\n"
                + " unlock_page+0x18/0xb8 mm/folio-compat.c:19\n"
                + " call_read_iter include/linux/fs.h:2193 [inline]\n"
                + " [<ffffffff8149e232>] ? handle_mm_fault+0x3f2/0x3190\n"
                + " </IRQ>\n";

        assertThat(scan(log).get(0).callTrace()).containsExactly(
                "dump_stack_lvl (lib/dump_stack.c:124)", "? dst_destroy (net/core/dst.c:112)",
                "lockdep_hardirqs_on_prepare (kernel/locking/lockdep.c:4339 kernel/locking/lockdep.c:4406)",
                "cpumask_of_node (arch/x86/include/asm/topology.h:72) [inline]",
                "dump_stack_lvl (lib/dump_stack.c:107 (discriminator 1))",
                "close_candev (drivers/net/can/dev/dev.c:389) can_dev",
                "unlock_page+0x18/0xb8 mm/folio-compat.c:19", "call_read_iter include/linux/fs.h:2193 [inline]",
                "? handle_mm_fault+0x3f2/0x3190");
    }

    @Test
    void a32BitArmOopsGivesLocationRegistersAndItsFromFrames() throws IOException {
        // shape of a Raspberry Pi report (derf/feh issue 574), frames in both arm unwinder forms
        String log = "[135992.726639] Unable to handle kernel NULL pointer dereference at virtual address 0000000c\n"
                + "[135992.726715] Internal error: Oops: 17 [#2] ARM\n"
                + "[135992.726854] CPU: 0 PID: 7690 Comm: htop Tainted: G      D  C        5.4.79+ #1373\n"
                + "[135992.726890] PC is at seq_vprintf+0x18/0x64\n"
                + "[135992.726903] LR is at seq_printf+0x3c/0x5c\n"
                + "[135992.726912] pc : [<c01f3218>]    lr : [<c01f32a0>]    psr: 60000013\n"
                + "[135992.726923] sp : cd009d54  ip : cd009d6c  fp : cd009d68\n"
                + "[135992.726933] r10: c5cf5dc0  r9 : 00000000  r8 : c024801c\n"
                + "[135992.726967] Call trace:\n"
                + "[135992.726970]  seq_vprintf from seq_printf+0x3c/0x5c\n"
                + "[135992.726980] [<c01f3218>] (seq_vprintf+0x18/0x64) from [<c01f32a0>] (seq_printf+0x3c/0x5c)\n";

        KernelCrash c = scan(log).get(0);

        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.BUG);
        assertThat(c.faultAddress()).contains("0x0000000c");
        assertThat(c.errorCode()).contains("0x17");
        assertThat(c.rip()).contains("seq_vprintf+0x18/0x64");
        assertThat(c.notes()).containsEntry("lr", "seq_printf+0x3c/0x5c");
        assertThat(c.registers()).containsEntry("pc", "0xc01f3218").containsEntry("lr", "0xc01f32a0")
                .containsEntry("psr", "0x60000013").containsEntry("fp", "0xcd009d68").containsEntry("r9", "0x00000000")
                .containsEntry("r10", "0xc5cf5dc0");
        assertThat(c.callTrace()).containsExactly("seq_vprintf from seq_printf+0x3c/0x5c",
                "(seq_vprintf+0x18/0x64) from [<c01f32a0>] (seq_printf+0x3c/0x5c)");
    }

    @Test
    void linesBrokenByAMailClientAreReadAsOne() throws IOException {
        String log = "BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
                + "CPU: 1 PID: 1\n"
                + "88243 Comm: QSGRenderThread Not tainted 5.3.6-300.fc31.x86_64 #1\n"
                + "RAX: 0000000000000000 RBX:\n"
                + "ffffad8549157b40 RCX: 0000000002888000\n"
                + "Call Trace:\n"
                + " amdgpu_vm_sdma_update+0x17d/\n"
                + "0x240 [amdgpu]\n"
                + " do_syscall_64+0x5f/0x1a0\n";

        KernelCrash c = scan(log).get(0);

        assertThat(c.task()).contains("QSGRenderThread[188243] cpu=1");
        assertThat(c.kernelRelease()).contains("5.3.6-300.fc31.x86_64");
        assertThat(c.registers()).containsEntry("RBX", "0xffffad8549157b40").containsEntry("RCX", "0x0000000002888000");
        assertThat(c.callTrace()).containsExactly("amdgpu_vm_sdma_update+0x17d/0x240 [amdgpu]", "do_syscall_64+0x5f/0x1a0");
        assertThat(c.excerpt()).hasSize(9);
    }

    @Test
    void kernelLinesFromSyslogOrJournalctlWithoutTimestampsAreRead() throws IOException {
        String log = "Jul  5 07:01:31 screenshot-fedora23server kernel: general protection fault: 0000 [#1] SMP\n"
                + "Jul  5 07:01:31 screenshot-fedora23server kernel: CPU: 0 PID: 571 Comm: jbd2/vda1-8 Tainted: G           OE   4.8.13-100.fc23.x86_64 #1\n"
                + "Apr 15 13:58:08.732759 raspberrypi kernel: pc : __arch_copy_to_user+0xd8/0x240\n"
                + "2013-10-18T09:27:31.763864+00:00 host kernel: RIP: 0010:strcmp+0x8/0x20\n";

        KernelCrash c = scan(log).get(0);

        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.GENERAL_PROTECTION);
        assertThat(c.task()).contains("jbd2/vda1-8[571] cpu=0");
        assertThat(c.rip()).contains("__arch_copy_to_user+0xd8/0x240");
        assertThat(c.lastLine()).isEqualTo(4);
        assertThat(c.uptime()).isEmpty();
    }
}
