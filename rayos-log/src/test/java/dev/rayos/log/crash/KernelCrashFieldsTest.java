package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which line of a kernel crash gives each field when the console says it more than once or
 * only in a roundabout way (docs/crash-report.md, "Kernel crashes"): the first fault code,
 * CR2 and IP win, a user-space RIP is the place only when the kernel names none, and which
 * headline continues an open crash and which starts a new one.
 */
class KernelCrashFieldsTest {

    static List<KernelCrash> scan(String... lines) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            b.append(String.format("[   12.%06d] ", i)).append(lines[i]).append('\n');
        }
        return KernelCrashScanner.scan(new StringReader(b.toString()));
    }

    @Test
    void aPageFaultsAddressIsTheFirstCr2WhenTheHeadlineNamesNone() throws IOException {
        List<KernelCrash> crashes = scan(
                "Oops: 0000 [#1] SMP NOPTI",
                "#PF: error_code(0x0004) - not-present page",
                "RAX: 0000000000000001 RBX: 0000000000000002 RCX: 0000000000000003",
                "CR2: 0000000000000010 CR3: 000000000abc0000 CR4: 00000000000006f0",
                "CR2: 0000000000000020 CR3: 000000000abc0000 CR4: 00000000000006f0",
                "#PF: error_code(0x0002) - not-present page",
                "---[ end trace 0000000000000000 ]---");
        assertThat(crashes).singleElement().satisfies(c -> {
            assertThat(c.faultAddress()).contains("0x0000000000000010");
            assertThat(c.errorCode()).as("the fault's own code, the first one").contains("0x0004");
            assertThat(c.registers()).containsEntry("RAX", "0x0000000000000001")
                    .containsEntry("CR2", "0x0000000000000010");
        });
    }

    @Test
    void withoutAPageFaultCr2IsNoFaultAddress() throws IOException {
        List<KernelCrash> crashes = scan(
                "invalid opcode: 0000 [#1] SMP NOPTI",
                "CR2: 0000000000000010 CR3: 000000000abc0000 CR4: 00000000000006f0");
        assertThat(crashes).singleElement().satisfies(c -> assertThat(c.faultAddress()).isEmpty());
    }

    @Test
    void anOldKernelsIpLineIsThePlaceWhenThereIsNoRip() throws IOException {
        List<KernelCrash> crashes = scan(
                "BUG: unable to handle kernel NULL pointer dereference at 0000000000000008",
                "IP: [<ffffffff8123abcd>] ext4_fill_super+0x10/0x20",
                "IP: [<ffffffff8123ffff>] other_function+0x1/0x2",
                "Oops: 0000 [#1] SMP");
        assertThat(crashes).singleElement().satisfies(c -> assertThat(c.rip()).contains("ext4_fill_super+0x10/0x20"));
    }

    @Test
    void aUserSpaceRipIsThePlaceOnlyWhenTheKernelNamesNone() throws IOException {
        List<KernelCrash> named = scan(
                "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580",
                "RIP: 0033:0x7f00deadbeef");
        assertThat(named).singleElement().satisfies(c -> assertThat(c.rip()).contains("kernel/locking/mutex.c:580"));
        List<KernelCrash> unnamed = scan(
                "BUG: kernel NULL pointer dereference, address: 0000000000000000",
                "RIP: 0033:0x7f00deadbeef");
        assertThat(unnamed).singleElement().satisfies(c -> assertThat(c.rip()).contains("0x7f00deadbeef"));
    }

    @Test
    void anInlinedArmPcIsThePlaceOnlyWhenNoOtherFollows() throws IOException {
        List<KernelCrash> alone = scan(
                "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000",
                "Internal error: Oops: 96000005 [#1] SMP",
                "pc : inlined_helper+0x4/0x8 [inline]");
        assertThat(alone).singleElement().satisfies(c -> assertThat(c.rip()).contains("inlined_helper+0x4/0x8 [inline]"));
        List<KernelCrash> followed = scan(
                "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000",
                "Internal error: Oops: 96000005 [#1] SMP",
                "pc : inlined_helper+0x4/0x8 [inline]",
                "pc : real_function+0x10/0x40");
        assertThat(followed).singleElement().satisfies(c -> assertThat(c.rip()).contains("real_function+0x10/0x40"));
    }

    @Test
    void aSecondOopsAfterABugsOwnOopsStartsANewCrash() throws IOException {
        List<KernelCrash> crashes = scan(
                "BUG: kernel NULL pointer dereference, address: 0000000000000000",
                "Oops: 0002 [#1] PREEMPT SMP NOPTI",
                "Oops: 0000 [#2] PREEMPT SMP NOPTI");
        assertThat(crashes).hasSize(2);
        assertThat(crashes.get(0).headlines()).hasSize(2);
        assertThat(crashes.get(1).reason()).startsWith("Oops: 0000 [#2]");
    }

    @Test
    void aBugAfterAnOopsStartsANewCrash() throws IOException {
        List<KernelCrash> crashes = scan(
                "Oops: 0002 [#1] PREEMPT SMP NOPTI",
                "BUG: scheduling while atomic: swapper/0/0/0x00000002");
        assertThat(crashes).extracting(KernelCrash::kind)
                .containsExactly(KernelCrash.Kind.OOPS, KernelCrash.Kind.BUG);
    }

    @Test
    void anotherTasksHeadlineDuringACrashIsKeptInItsExcerpt() throws IOException {
        StringBuilder b = new StringBuilder()
                .append("[   12.000001][   T77] BUG: kernel NULL pointer dereference, address: 0000000000000000\n")
                .append("[   12.000002][    T9] BUG: unable to handle page fault for address: ffffffffffffff00\n")
                .append("[   12.000003][   T77] Oops: 0002 [#1] PREEMPT SMP NOPTI\n");
        List<KernelCrash> crashes = KernelCrashScanner.scan(new StringReader(b.toString()));
        assertThat(crashes).singleElement().satisfies(c -> {
            assertThat(c.excerpt()).hasSize(3);
            assertThat(c.excerpt().get(1)).contains("[    T9] BUG: unable to handle page fault");
            assertThat(c.notes()).containsKey("concurrent_headline");
        });
    }

    @Test
    void aPageFaultHeadlineWithoutAnAddressTakesCr2AndACrashThatNamesNoPlaceHasNone() throws IOException {
        List<KernelCrash> crashes = scan(
                "BUG: unable to handle page fault",
                "CR2: 0000000000000018 CR3: 000000000abc0000 CR4: 00000000000006f0");
        assertThat(crashes).singleElement().satisfies(c -> {
            assertThat(c.faultAddress()).contains("0x0000000000000018");
            assertThat(c.rip()).isEmpty();
        });
    }
}
