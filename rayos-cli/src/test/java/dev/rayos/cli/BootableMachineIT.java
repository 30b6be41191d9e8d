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
        assertThat(logs.out()).contains("RAYOS_READY mode=normal").contains("indexer OUTPUT msg=indexing")
                .as("the agent's JVM starts from the image's AppCDS archive").containsPattern("RAYOS_AGENT_START .*cds=on");
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
    void aMachineWhosePanickingBootsLandInRecoveryIsReadAndFactoryResetOverTheSerialLineAndBootsAgain() throws Exception {
        // the data partition the image ships: a VM with a disk and saved state, and the flag that
        // makes the "update" component panic the kernel (a broken update; a factory reset removes it)
        Path data = Files.createDirectories(dir.resolve("data"));
        Path disk = Files.createDirectories(data.resolve("vm/win")).resolve("disk0.qcow2");
        Process q = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "16M").inheritIO().start();
        assertThat(q.waitFor()).isZero();
        Files.write(Files.createDirectories(data.resolve("vm/win/state")).resolve("saved.vmstate"), new byte[4096]);
        Files.writeString(data.resolve("update-broken"), "1\n");
        String diskHash = sha256(disk);
        Path img = Vm.buildWith(dir, "broken.img", "boot.ready_timeout = 180\nboot.max_failures = 2\n", data,
                "quiet rayos.page_lines=1000",
                new Vm.Part("update", "if [ -e /var/rayos/update-broken ]; then echo 'update: broken'; sync;"
                        + " echo c > /proc/sysrq-trigger; fi; echo 'update: ok'; exit 0", false));
        Path serial = dir.resolve("broken.serial");
        Cli.Result r = Vm.boot(img, serial, 4,
                "--expect", "1:Kernel panic - not syncing" + BOOT,
                "--expect", "2:Kernel panic - not syncing" + BOOT,
                "--expect", "3:RAYOS_RECOVERY_READY" + BOOT,
                "--send", "3:]> =1",                                      // boots: why each failed
                "--send", "]> =2", "--send", "current boot)> =-1",        // the failed boot's log
                "--send", "]> =4", "--send", "latest report)> =",          // its crash report (pstore)
                "--send", "]> =13", "--send", "# =cat /dev/vcs1; echo; echo VCS_DONE; exit",  // the local display
                "--send", "]> =7", "--send", "anything else cancels> =RESET",              // factory reset, keep VM disks
                "--send", "]> =11", "--send", "anything else cancels> =REBOOT",
                "--expect", "3:factory-reset preserve-vm-disks: done" + BOOT,
                "--expect", "4:RAYOS_READY mode=normal" + BOOT,
                "--expect", "4:RAYOS_BOOT_BLESSED" + BOOT);
        String console = Vm.console(serial);
        assertThat(r.exit()).as(r.err() + console).isZero();
        String recovery = console.substring(console.indexOf("RAYOS_RECOVERY_READY"));
        // the boots table (FAILURE panic), the failed boot's log and its crash report, read on the serial line
        // (the component's own output line may not have reached the disk: INFO lines are fsync'd within a
        // second, and the panic came at once; markers are fsync'd before the call returns)
        assertThat(recovery).contains("== Boots").contains("panic").contains("RAYOS_COMPONENT_START name=update")
                .contains("== Crash report of a boot").contains("sysrq triggered crash");
        // what tty1 (the local display) shows: the console's menu too
        String typed = "cat /dev/vcs1; echo; echo VCS_DONE; exit";
        int from = recovery.indexOf(typed) + typed.length(); // after the echo of the typed line
        String vcs = recovery.substring(from, recovery.indexOf("VCS_DONE", from));
        assertThat(vcs).contains("RayOS recovery console").contains("Logs of a boot");

        Path host = Vm.extract(img, dir.resolve("host-view"));
        assertThat(sha256(host.resolve("var/rayos/vm/win/disk0.qcow2"))).as("the VM disk").isEqualTo(diskHash);
        assertThat(host.resolve("var/rayos/vm/win/state/saved.vmstate")).doesNotExist();
        assertThat(host.resolve("var/rayos/update-broken")).doesNotExist();
        try (var s = Files.walk(host.resolve("var/rayos/crash/preserved"))) {
            assertThat(s.map(Path::toString).filter(f -> f.contains("panics/") && f.endsWith(".log")).count())
                    .as("the two panics' reports (from pstore), kept through the reset").isEqualTo(2);
        }
        List<BootRecord> boots = Vm.history(host);
        assertThat(boots).as("the reset made the next boot a first boot").hasSize(1);
        assertThat(boots.get(0).seq()).isZero();
        assertThat(boots.get(0).loader().entry()).as("fresh tries").isEqualTo("rayos+1-1.conf");
        assertThat(boots.get(0).loader().blessed()).isTrue();
        assertThat(Vm.entries(img)).contains("rayos.conf", "rayos-recovery.conf", "rayos-safe.conf");
    }

    @Test
    void aDamagedDataPartitionIsCheckedBeforeItIsMountedPreenFixesWhatItCanAndTheRestWaitsInRecoveryForYes() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data/scratch"));
        Files.writeString(data.resolve("junk.txt"), "scratch\n");
        Path img = Vm.buildWith(dir, "fsck.img", "boot.ready_timeout = 180\n", dir.resolve("data"), "quiet rayos.page_lines=1000",
                new Vm.Part("web", "echo READY; while :; do sleep 60; done", false));
        // a wrong link count, the file system marked with errors as the kernel marks one it found an error in
        Vm.damageData(img, "sif <2> links_count 7", "ssv state 2");
        Path serial1 = dir.resolve("fsck-1.serial");
        Cli.Result r1 = Vm.boot(img, serial1, 1,
                "--expect", "1:RAYOS_DATA_CHECK device=/dev/vda2 result=corrected exit=1" + BOOT,
                "--expect", "1:RAYOS_BOOT_BLESSED" + BOOT,
                "--send", "1:RAYOS_WATCHDOG_DISARMED=poweroff",   // a clean end: the partition unmounted
                "--expect", "1:reboot: Power down" + BOOT);
        assertThat(r1.exit()).as(r1.err() + Vm.console(serial1)).isZero();
        assertThat(Vm.console(serial1)).contains("rayos-init: e2fsck -p /dev/vda2: corrected (exit 1)");

        // then damage that e2fsck -p will not fix
        Vm.damageData(img, "sif /scratch/junk.txt mode 0140644", "ssv state 2");
        Path serial2 = dir.resolve("fsck-2.serial");
        Cli.Result r2 = Vm.boot(img, serial2, 2,
                "--expect", "1:RAYOS_DATA_CHECK device=/dev/vda2 result=uncorrected exit=4" + BOOT,
                "--expect", "1:RAYOS_RECOVERY_READY" + BOOT,
                "--send", "1:]> =5",                                                  // check and repair
                "--send", "anything else cancels> =REPAIR",                          // e2fsck -p: not enough
                "--send", "leaves it as it is> =YES",                                 // then e2fsck -y
                "--expect", "1:e2fsck -y fixed" + BOOT,
                "--send", "]> =11", "--send", "anything else cancels> =REBOOT",
                "--expect", "2:RAYOS_DATA_CHECK device=/dev/vda2 result=clean exit=0" + BOOT,
                "--expect", "2:RAYOS_READY mode=normal" + BOOT,
                "--send", "2:RAYOS_WATCHDOG_DISARMED=poweroff",   // a clean end: the last boot's log whole
                "--expect", "2:reboot: Power down" + BOOT);
        String console = Vm.console(serial2);
        assertThat(r2.exit()).as(r2.err() + console).isZero();
        String recovery = console.substring(0, console.indexOf("RAYOS_READY"));
        assertThat(recovery).contains("rayos-init: e2fsck -p /dev/vda2: uncorrected (exit 4)")
                .contains("rayos-init: the data partition is left unmounted")
                .contains("UNEXPECTED INCONSISTENCY")                                 // e2fsck's words, as events of the boot
                .containsPattern("RAYOS_AGENT_START mode=recovery")
                .contains("would fsck /dev/vda2: e2fsck -n found ")                   // the dry run shown first
                .contains("NOT REPAIRED filesystem: e2fsck -p left errors on /dev/vda2")
                .contains("fsck /dev/vda2: e2fsck -y fixed");

        Path host = Vm.extract(img, dir.resolve("host-view"));
        List<BootRecord> boots = Vm.history(host);
        assertThat(boots).as("the recovery boot ran in RAM; the first and last boots are on the partition").hasSize(2);
        String first = Files.readString(host.resolve("var/rayos/logs/boot/" + boots.get(0).id().hex() + ".log"));
        assertThat(first).contains("RAYOS_DATA_CHECK device=/dev/vda2 result=corrected exit=1")
                .contains("e2fsck OUTPUT msg=\"RAYOS\\x5fDATA contains a file system with errors, check forced.\"") // RAYOS_ is escaped in a value
                .containsPattern("e2fsck OUTPUT msg=\"RAYOS\\\\x5fDATA: Inode 2 ref count is 7, should be [0-9]+\\.  FIXED\\.\"");
        String last = Files.readString(host.resolve("var/rayos/logs/boot/" + boots.get(1).id().hex() + ".log"));
        assertThat(last).contains("RAYOS_DATA_CHECK device=/dev/vda2 result=clean exit=0").contains("RAYOS_READY mode=normal");
        assertThat(host.resolve("var/rayos/scratch/junk.txt")).as("the inode e2fsck -y cleared").doesNotExist();
        // the recovery boot ran in RAM; once the partition was repaired, /init kept its log there at its end
        assertThat(console).contains("rayos-init: the data partition is repaired: this boot's log is kept in crash/preserved/logs");
        String kept;
        try (var logs = Files.walk(host.resolve("var/rayos/crash/preserved/logs"))) {
            kept = logs.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).reduce("", String::concat);
        }
        assertThat(kept).contains("RAYOS_DATA_CHECK device=/dev/vda2 result=uncorrected exit=4")
                .contains("RAYOS_RECOVERY_ACTION action=repair-yes result=ok")
                .contains("RAYOS_RECOVERY_ACTION action=repair-fsck result=done check=filesystem path=/dev/vda2");
    }

    private static String sha256(Path f) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
