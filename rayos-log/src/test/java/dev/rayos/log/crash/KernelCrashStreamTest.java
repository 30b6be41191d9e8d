package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel crash scanner fed a console line by line, as the QEMU harness feeds it
 * (docs/crash-report.md, "Kernel crashes"): a crash is handed over at the line that shows it
 * ended, serial noise does not hide it, and a line too long for the scanner is cut and says so.
 */
class KernelCrashStreamTest {
    static final String[] OOPS = {
        "[   12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000000",
        "[   12.346001] #PF: supervisor write access in kernel mode",
        "[   12.346604] Oops: 0002 [#1] PREEMPT SMP NOPTI",
        "[   12.349418] Call Trace:",
        "[   12.349820]  proc_reg_write+0x56/0xa0",
    };

    /** Feeds lines; returns, per line, how many crashes that line completed. */
    static List<Integer> feed(KernelCrashScanner s, List<KernelCrash> out, String... lines) {
        List<Integer> per = new ArrayList<>();
        for (String l : lines) {
            List<KernelCrash> got = s.accept(l);
            out.addAll(got);
            per.add(got.size());
        }
        return per;
    }

    static String[] noise(int n, String caller) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "[   13.0000" + String.format("%02d", i) + "]" + caller + " usb 1-1: new device " + i;
        }
        return out;
    }

    @Test
    void aNewBootsBannerEndsACrashThatNeverPrintedItsEnd() {
        KernelCrashScanner s = new KernelCrashScanner();
        List<KernelCrash> crashes = new ArrayList<>();
        assertThat(feed(s, crashes, OOPS)).containsOnly(0);
        assertThat(feed(s, crashes, "[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)"))
                .containsExactly(1);
        assertThat(crashes).singleElement().satisfies(c -> {
            assertThat(c.reason()).startsWith("BUG: kernel NULL pointer dereference");
            assertThat(c.lastLine()).isEqualTo(5);
        });
        assertThat(s.finish()).isEmpty();
    }

    @Test
    void aCrashStaysOpenThroughThirtyTwoLinesOfOtherTextAndEndsAtTheThirtyThird() {
        KernelCrashScanner s = new KernelCrashScanner();
        List<KernelCrash> crashes = new ArrayList<>();
        feed(s, crashes, OOPS);
        assertThat(feed(s, crashes, noise(32, ""))).containsOnly(0);
        feed(s, crashes, "[   13.100000]  vfs_write+0xc7/0x3f0"); // more of the trace: the gap's lines are kept
        assertThat(feed(s, crashes, noise(32, ""))).containsOnly(0);
        assertThat(feed(s, crashes, noise(1, ""))).containsExactly(1);
        KernelCrash c = crashes.get(0);
        assertThat(c.callTrace()).contains("proc_reg_write+0x56/0xa0", "vfs_write+0xc7/0x3f0");
        assertThat(c.excerpt()).hasSize(5 + 32 + 1);
    }

    @Test
    void anotherTasksLinesCountAsOtherTextAndAreKeptWhenTheCrashGoesOn() {
        KernelCrashScanner s = new KernelCrashScanner();
        List<KernelCrash> crashes = new ArrayList<>();
        feed(s, crashes, "[   12.345678][   T77] BUG: kernel NULL pointer dereference, address: 0000000000000000",
                "[   12.346001][   T77] #PF: supervisor write access in kernel mode");
        assertThat(feed(s, crashes, noise(32, "[    T9]"))).containsOnly(0);
        feed(s, crashes, "[   12.346604][   T77] Oops: 0002 [#1] PREEMPT SMP NOPTI");
        assertThat(feed(s, crashes, noise(33, "[    T9]"))).endsWith(1).containsOnly(0, 1);
        KernelCrash c = crashes.get(0);
        assertThat(c.excerpt()).hasSize(2 + 32 + 1);
        assertThat(c.excerpt().get(2)).contains("[    T9] usb 1-1: new device 0");
    }

    @Test
    void serialNoiseInACrashLineDoesNotHideIt() {
        KernelCrashScanner s = new KernelCrashScanner();
        List<KernelCrash> crashes = new ArrayList<>();
        feed(s, crashes, "\u001b[0m[    3.141592] Kernel panic - not syncing: VFS:\u0000 Unable\u001f to\u007f mount root"
                + "\u0007 fs on \"/dev/vda\"~ \tor unknown-block(0,0)");
        crashes.addAll(s.finish());
        assertThat(crashes).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo("Kernel panic - not syncing: VFS: Unable to mount root fs on \"/dev/vda\"~ "
                    + "\tor unknown-block(0,0)");
            assertThat(c.uptime()).contains("3.141592");
        });
    }

    @Test
    void aLineAtTheScannersLimitIsWholeAndOneCharacterLongerIsCutAndSaysSo() {
        String head = "[   12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000000 ";
        String atLimit = head + "x".repeat(KernelCrashScanner.MAX_LINE_CHARS - head.length());
        KernelCrashScanner s = new KernelCrashScanner();
        List<KernelCrash> crashes = new ArrayList<>();
        feed(s, crashes, atLimit);
        crashes.addAll(s.finish());
        assertThat(crashes.get(0).truncated()).isFalse();
        assertThat(crashes.get(0).excerpt().get(0)).isEqualTo(atLimit);
        feed(s, crashes, atLimit + "y\r\n");
        crashes.addAll(s.finish());
        assertThat(crashes.get(1).truncated()).isTrue();
        assertThat(crashes.get(1).excerpt().get(0)).isEqualTo(atLimit);
    }
}
