package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.boot.Boots;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Factory resets run in-process: modes, a cut-off reset, damaged journals, a data directory that is a link. */
class FactoryResetTest {
    @TempDir
    Path tmp;
    TestMachine m;

    @BeforeEach
    void machine() throws Exception {
        m = new TestMachine(tmp.resolve("root"));
        m.boot(3);
        m.writeBytes("var/rayos/vm/linux/disk0.raw", new byte[4096]);
        m.write("var/rayos/vm/linux/state/s", "state");
    }

    private Report reset(FactoryReset.Mode mode, FactoryReset.Progress p) throws IOException {
        return new FactoryReset(m.layout, List.of(), p).run(mode, FactoryReset.standardSteps(mode));
    }

    private static FactoryReset.Progress cutAfter(String step) {
        return new FactoryReset.Progress() {
            @Override
            public void stepDone(String s) throws IOException {
                if (s.equals(step)) {
                    throw new IOException("power lost");
                }
            }
        };
    }

    @Test
    void wipeAllAfterACutOffPreserveResetFinishesThatOneThenWipesTheDisks() throws Exception {
        assertThatThrownBy(() -> reset(FactoryReset.Mode.PRESERVE_VM_DISKS, cutAfter("wipe-rings")))
                .hasMessage("power lost");
        Report r = reset(FactoryReset.Mode.WIPE_ALL, FactoryReset.Progress.NONE);
        assertThat(FactoryReset.pending(m.layout)).isFalse();
        assertThat(TestMachine.files(m.layout.vmsDir())).isEmpty();
        assertThat(r.changes()).extracting(Report.Change::line).contains("delete var/rayos/vm/linux/disk0.raw");
    }

    @Test
    void aDamagedJournalStopsTheBootAgentButNotAnExplicitResetWhichKeepsIt() throws Exception {
        m.write("var/rayos/recovery/factory-reset.journal", "rayos-factory-reset-journal 1 #00000000\n");
        assertThatThrownBy(() -> FactoryReset.resumeIfJournaled(m.root))
                .isInstanceOf(FactoryReset.JournalDamaged.class).hasMessageContaining("line 1: damaged");
        reset(FactoryReset.Mode.PRESERVE_VM_DISKS, FactoryReset.Progress.NONE);
        assertThat(FactoryReset.pending(m.layout)).isFalse();
        assertThat(m.layout.crashPreservedDir().resolve("factory-reset.journal.damaged"))
                .hasContent("rayos-factory-reset-journal 1 #00000000");
        assertThat(new Boots(m.layout, LogClock.system()).list().boots()).isEmpty();
    }

    @Test
    void aDataDirectoryThatIsALinkIsRefusedAndNothingIsTouched() throws Exception {
        TestMachine other = new TestMachine(tmp.resolve("linked"));
        Files.createDirectories(other.root.resolve("var"));
        Files.createSymbolicLink(other.root.resolve("var/rayos"), m.layout.dataDir());
        TreeMap<String, String> before = TestMachine.tree(m.root);
        assertThatThrownBy(() -> new FactoryReset(other.layout, List.of(), FactoryReset.Progress.NONE)
                .run(FactoryReset.Mode.WIPE_ALL, FactoryReset.standardSteps(FactoryReset.Mode.WIPE_ALL)))
                .hasMessageContaining("var/rayos is a symbolic link");
        assertThat(TestMachine.tree(m.root)).isEqualTo(before);
    }

    @Test
    void resumeWithNoJournalDoesNothing() throws Exception {
        TreeMap<String, String> before = TestMachine.tree(m.root);
        assertThat(FactoryReset.resumeIfJournaled(m.root)).isEmpty();
        assertThat(TestMachine.tree(m.root)).isEqualTo(before);
    }

    @Test
    void anExtraStepRunsInItsPlaceAndIsResumedByName() throws Exception {
        List<String> ran = new java.util.ArrayList<>();
        FactoryReset.Step entries = new FactoryReset.Step() {
            @Override
            public String name() {
                return "restore-vm-config"; // a step another part adds (restore-boot-entries is standard now)
            }

            @Override
            public void run(ResetContext ctx) {
                ran.add(ctx.mode().id());
            }
        };
        List<FactoryReset.Step> plan = new java.util.ArrayList<>(FactoryReset.standardSteps(FactoryReset.Mode.WIPE_ALL));
        plan.add(plan.size() - 1, entries);
        assertThatThrownBy(() -> new FactoryReset(m.layout, List.of(entries), cutAfter("wipe-other"))
                .run(FactoryReset.Mode.WIPE_ALL, plan)).hasMessage("power lost");
        assertThat(ran).isEmpty();
        new FactoryReset(m.layout, List.of(entries), FactoryReset.Progress.NONE).resume();
        assertThat(ran).containsExactly("wipe-all");
        assertThat(FactoryReset.pending(m.layout)).isFalse();
    }

    @Test
    void aDiskThatIsALinkStaysALinkInPreserveAndGoesInWipeAllItsTargetUntouchedEitherWay() throws Exception {
        Path outside = tmp.resolve("big-disk.raw");
        Files.write(outside, TestMachine.random(8192, new java.util.Random(3)));
        String hash = TestMachine.sha256(outside);
        Path link = m.link("var/rayos/vm/linux/disk1.raw", outside);
        reset(FactoryReset.Mode.PRESERVE_VM_DISKS, FactoryReset.Progress.NONE);
        assertThat(Files.isSymbolicLink(link)).as("kept as a link").isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(outside);
        reset(FactoryReset.Mode.WIPE_ALL, FactoryReset.Progress.NONE);
        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("the link removed").isFalse();
        assertThat(TestMachine.sha256(outside)).as("its target").isEqualTo(hash);
    }
}
