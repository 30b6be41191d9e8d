package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VM saved state with the real qemu-img: snapshots and state/ go, the disks' data stays. */
class VmsTest {
    @TempDir
    Path tmp;
    TestMachine m;

    @BeforeEach
    void needsQemuImg() throws Exception {
        assumeTrue(run("qemu-img", "--version") == 0, "qemu-img is absent (.ci/install-recovery.sh installs qemu-utils)");
        m = new TestMachine(tmp.resolve("root"));
        m.boot(1);
    }

    private static int run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return p.exitValue();
        } catch (IOException absent) {
            return -1;
        }
    }

    /** A qcow2 disk holding random data: a raw image converted by qemu-img. */
    private Path qcow2(String rel, Random rnd) throws Exception {
        Path raw = tmp.resolve("src-" + rnd.nextInt(1_000_000) + ".raw");
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i += 4096) {
            if (rnd.nextBoolean()) { // half the blocks hold data, the rest stay unallocated in the qcow2
                System.arraycopy(TestMachine.random(4096, rnd), 0, data, i, 4096);
            }
        }
        Files.write(raw, data);
        Path disk = m.root.resolve(rel);
        Files.createDirectories(disk.getParent());
        assertThat(run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), disk.toString())).isZero();
        return disk;
    }

    /** The guest-visible bytes of a disk: qemu-img converts it to raw. */
    private String dataHash(Path disk) throws Exception {
        Path out = tmp.resolve("data-" + System.nanoTime() + ".raw");
        assertThat(run("qemu-img", "convert", "-O", "raw", disk.toString(), out.toString())).isZero();
        String h = TestMachine.sha256(out);
        Files.delete(out);
        return h;
    }

    @Test
    void resetStateDeletesSnapshotsAndStateAndLeavesEveryDisksDataIdentical() throws Exception {
        Random rnd = new Random(7);
        Path snapped = qcow2("var/rayos/vm/linux/disk0.qcow2", rnd);
        Path plain = qcow2("var/rayos/vm/linux/disk1.qcow2", rnd);
        Path raw = m.writeBytes("var/rayos/vm/linux/disk2.raw", TestMachine.random(256 * 1024, rnd));
        assertThat(run("qemu-img", "snapshot", "-c", "before update", snapped.toString())).isZero();
        assertThat(run("qemu-img", "snapshot", "-c", "s2", snapped.toString())).isZero();
        m.write("var/rayos/vm/linux/state/migration.bin", "vmstate");
        m.write("var/rayos/vm/linux/config.json", "{\"mem\":512}");
        String snappedData = dataHash(snapped);
        String plainFile = TestMachine.sha256(plain);
        String rawFile = TestMachine.sha256(raw);
        Vms vms = new Vms(m.layout);
        Vms.Vm before = vms.get("linux");
        assertThat(before.disks()).extracting(Vms.Disk::snapshots).containsExactly(2, 0, 0);
        assertThat(before.hasSavedState()).isTrue();

        Report r = new Report(false);
        try (ActionLog log = new ActionLog(m.layout)) {
            log.open(ActionLog.currentOrNewRecoveryBoot(m.layout));
            vms.resetState("linux", r, log);
        }

        assertThat(new QemuImg("qemu-img").snapshots(snapped)).as("snapshots left").isEmpty();
        assertThat(dataHash(snapped)).as("disk0 data (guest-visible bytes)").isEqualTo(snappedData);
        assertThat(TestMachine.sha256(plain)).as("disk1 file, byte-identical").isEqualTo(plainFile);
        assertThat(TestMachine.sha256(raw)).as("disk2 file, byte-identical").isEqualTo(rawFile);
        assertThat(run("qemu-img", "check", snapped.toString())).as("qemu-img check disk0").isZero();
        assertThat(run("qemu-img", "check", plain.toString())).as("qemu-img check disk1").isZero();
        assertThat(Files.exists(m.root.resolve("var/rayos/vm/linux/state"))).isFalse();
        assertThat(TestMachine.read(m.root.resolve("var/rayos/vm/linux/config.json"))).isEqualTo("{\"mem\":512}");
        assertThat(vms.get("linux").hasSavedState()).isFalse();
        assertThat(r.changes()).extracting(Report.Change::line).contains(
                "delete-snapshot var/rayos/vm/linux/disk0.qcow2: internal snapshot 'before update' (id 1, VM state 0 B)",
                "delete var/rayos/vm/linux/state: saved state");
        String log = TestMachine.read(m.layout.logFile("boot", ActionLog.currentOrNewRecoveryBoot(m.layout)));
        assertThat(log).contains("RAYOS_RECOVERY_ACTION action=vm-snapshot-delete result=done vm=linux disk=disk0.qcow2 "
                + "snapshot=\"before update\"");
        assertThat(log).contains("RAYOS_RECOVERY_ACTION action=vm-reset-state result=done vm=linux");
    }

    @Test
    void aStateLinkToOutsideTheRootIsRemovedAndItsTargetUntouched() throws Exception {
        Path outside = tmp.resolve("outside");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("keep.bin"), "mine");
        TreeMap<String, String> before = TestMachine.tree(outside);
        m.writeBytes("var/rayos/vm/w/disk.raw", new byte[4096]);
        m.link("var/rayos/vm/w/state", outside);
        try (ActionLog log = new ActionLog(m.layout)) {
            log.open(ActionLog.currentOrNewRecoveryBoot(m.layout));
            new Vms(m.layout).resetState("w", new Report(false), log);
        }
        assertThat(Files.exists(m.root.resolve("var/rayos/vm/w/state"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(TestMachine.tree(outside)).isEqualTo(before);
    }

    @Test
    void badAndUnknownVmNamesAreRefusedBeforeAnythingChanges() throws Exception {
        m.writeBytes("var/rayos/vm/ok/disk.raw", new byte[16]);
        m.write("var/rayos/vm/ok/state/s", "x");
        TreeMap<String, String> before = TestMachine.tree(m.root);
        Vms vms = new Vms(m.layout);
        for (String bad : List.of("../ok", "ok/state", "..", ".", "", "-x", "a b", "nope")) {
            try (ActionLog log = new ActionLog(m.layout)) {
                assertThatThrownBy(() -> vms.resetState(bad, new Report(false), log)).as(bad)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThat(TestMachine.tree(m.root)).isEqualTo(before);
    }

    @Test
    void listShowsDisksSnapshotsAndStateOfEachVm() throws Exception {
        Path d = qcow2("var/rayos/vm/a/disk0.qcow2", new Random(1));
        assertThat(run("qemu-img", "snapshot", "-c", "x", d.toString())).isZero();
        m.writeBytes("var/rayos/vm/b/disk.raw", new byte[100]);
        m.write("var/rayos/vm/b/state/s", "12345");
        m.write("var/rayos/vm/not a vm/disk.raw", "");
        List<Vms.Vm> vms = new Vms(m.layout).list();
        assertThat(vms).extracting(Vms.Vm::name).containsExactly("a", "b");
        assertThat(vms.get(0).disks().get(0).snapshots()).isEqualTo(1);
        assertThat(vms.get(1).stateBytes()).isEqualTo(5);
    }
}
