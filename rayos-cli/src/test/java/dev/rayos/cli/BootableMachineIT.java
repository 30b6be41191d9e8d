package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.boot.FailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine end to end (issue 9): real images booted by OVMF and systemd-boot under QEMU (TCG),
 * boot counting, the hardware watchdog, pstore, safe mode, read back on the host.
 */
class BootableMachineIT {
    /** Firmware + kernel + a JVM start under TCG, on a loaded 2-core host, with margin. */
    static final String BOOT = "@240s";

    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Vm.requireQemu();
    }

    @Test
    void aGoodImageBootsToReadyBlessesItsEntryAndOneshotSafeBootsSafeModeOnce() throws Exception {
        Path img = Vm.build(dir, "good.img", "boot.ready_timeout = 180\n",
                new Vm.Part("web", "echo serving; echo READY; while :; do sleep 60; done", true),
                new Vm.Part("indexer", "echo indexing; exit 0", false));
        Path serial = dir.resolve("good.serial");
        Cli.Result r = Vm.boot(img, serial, 3,
                "--expect", "1:RAYOS_BOOT_BLESSED" + BOOT,
                "--send", "1:RAYOS_WATCHDOG_DISARMED=rayos boot-entries oneshot safe && reboot",
                "--expect", "2:RAYOS_READY mode=safe" + BOOT,
                "--send", "2:RAYOS_WATCHDOG_DISARMED=reboot",
                "--expect", "3:RAYOS_READY mode=normal" + BOOT);
        String console = Vm.console(serial);
        assertThat(r.exit()).as(r.err() + console).isZero();
        assertThat(Vm.entries(img)).contains("rayos.conf").noneMatch(e -> e.contains("+"));

        List<BootRecord> boots = Vm.history(Vm.extract(img, dir.resolve("host-view")));
        assertThat(boots).hasSize(3);
        BootRecord first = boots.get(0);
        assertThat(first.mode()).isEqualTo(BootMode.NORMAL);
        assertThat(first.loader().entry()).isEqualTo("rayos+2-1.conf");
        assertThat(first.loader().blessed()).isTrue();
        assertThat(first.end()).isEqualTo(EndState.CLEAN);
        assertThat(first.failure()).isNull();
        assertThat(boots.get(1).mode()).isEqualTo(BootMode.SAFE);
        assertThat(boots.get(1).loader().entry()).isEqualTo("rayos-safe.conf");
        assertThat(boots.get(2).mode()).isEqualTo(BootMode.NORMAL);
        assertThat(boots.get(2).loader().entry()).isEqualTo("rayos.conf");
        // safe mode ran only the safe component
        String safeLog = Files.readString(dir.resolve("host-view/var/rayos/logs/boot/" + boots.get(1).id().hex() + ".log"));
        assertThat(safeLog).contains("RAYOS_COMPONENT_START name=web").doesNotContain("name=indexer");
        // rayos logs writes straight to stdout (one buffered stream), so read it as a user would: a real process
        Cli.Result logs = Cli.process(new byte[0], "--root", dir.resolve("host-view").toString(), "logs", "-b",
                boots.get(0).id().hex(), "-o", "raw");
        assertThat(logs.out()).contains("RAYOS_READY mode=normal").contains("indexer OUTPUT msg=indexing");
    }

    @Test
    void aComponentThatNeverFinishesIsResetByTheWatchdogUntilTheRecoveryEntryBootsByItself() throws Exception {
        Path img = Vm.build(dir, "hang.img", "boot.ready_timeout = 60\nboot.max_failures = 2\n",
                new Vm.Part("stuck", "echo waiting forever; while :; do sleep 60; done", false));
        Path serial = dir.resolve("hang.serial");
        Cli.Result r = Vm.boot(img, serial, 3,
                "--expect", "1:RAYOS_BOOT_WATCHDOG_EXPIRED" + BOOT,
                "--expect", "2:RAYOS_BOOT_WATCHDOG_EXPIRED" + BOOT,
                "--expect", "3:RAYOS_RECOVERY_READY" + BOOT);
        String console = Vm.console(serial);
        assertThat(r.exit()).as(r.err() + console).isZero();
        assertThat(Vm.entries(img)).contains("rayos+0-2.conf");

        List<BootRecord> boots = Vm.history(Vm.extract(img, dir.resolve("host-view")));
        assertThat(boots).hasSize(3);
        for (BootRecord b : boots.subList(0, 2)) {
            assertThat(b.failure()).as(b.id().hex()).isEqualTo(FailureReason.WATCHDOG);
            assertThat(b.end()).isEqualTo(EndState.WATCHDOG);
            assertThat(b.marker("RAYOS_READY")).isNull();
        }
        assertThat(boots.get(0).loader().triesLeft()).isEqualTo(1);
        assertThat(boots.get(1).loader().triesLeft()).isZero();
        assertThat(boots.get(2).mode()).isEqualTo(BootMode.RECOVERY);
        assertThat(boots.get(2).loader().entry()).isEqualTo("rayos-recovery.conf");
        Cli.Result list = Cli.onRoot(dir.resolve("host-view"), "boots");
        assertThat(list.out()).contains("watchdog").contains("recovery");
    }

    @Test
    void aKernelPanicCountsAsAFailedTryAndItsReportArrivesFromPstoreOnTheNextBoot() throws Exception {
        Path img = Vm.build(dir, "panic.img", "boot.ready_timeout = 180\n",
                new Vm.Part("crasher", "if [ ! -e /var/rayos/crashed-once ]; then touch /var/rayos/crashed-once; sync;"
                        + " echo c > /proc/sysrq-trigger; fi; exit 0", false));
        Path serial = dir.resolve("panic.serial");
        Cli.Result r = Vm.boot(img, serial, 2,
                "--expect", "1:Kernel panic - not syncing" + BOOT,
                "--expect", "2:RAYOS_PREVIOUS_BOOT" + BOOT,
                "--expect", "2:RAYOS_BOOT_BLESSED" + BOOT);
        String console = Vm.console(serial);
        assertThat(r.exit()).as(r.err() + console).isZero();
        assertThat(console).contains("reason=panic");

        Path host = Vm.extract(img, dir.resolve("host-view"));
        List<BootRecord> boots = Vm.history(host);
        assertThat(boots).hasSize(2);
        BootRecord crashed = boots.get(0);
        assertThat(crashed.failure()).isEqualTo(FailureReason.PANIC);
        assertThat(crashed.end()).isEqualTo(EndState.CRASH);
        assertThat(crashed.loader().triesLeft()).isEqualTo(2);
        Path report = host.resolve("var/rayos/crash/panics/" + crashed.id().hex() + ".log");
        assertThat(report).exists();
        assertThat(Files.readString(report)).contains("sysrq").contains("origin=pstore");
        assertThat(boots.get(1).loader().blessed()).isTrue();
        Cli.Result show = Cli.onRoot(host, "crash", "show", crashed.id().hex());
        assertThat(show.exit()).as(show.err()).isZero();
    }
}
