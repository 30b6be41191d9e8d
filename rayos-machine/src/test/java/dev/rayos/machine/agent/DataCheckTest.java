package dev.rayos.machine.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.log.line.Marker;
import dev.rayos.log.boot.BootMode;
import dev.rayos.machine.disk.Ext4Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent logs the data partition's check /init ran before mounting it, and a check that left
 * errors makes the boot a recovery boot. The records come from the real e2fsck on real damaged
 * images; the agent runs in a child JVM on a test root.
 */
class DataCheckTest {
    @TempDir
    Path tmp;
    TestMachine m;

    @AfterEach
    void end() throws Exception {
        if (m != null) {
            m.close();
        }
    }

    /** What /init leaves in run/rayos after e2fsck -p ran on {@code img}; returns the status. */
    private int checkedAtBoot(Path img) throws Exception {
        Ext4Images.Ran r = Ext4Images.run("e2fsck", "-p", img.toString());
        Path run = Files.createDirectories(m.root.resolve("run/rayos"));
        Files.writeString(run.resolve("data-check"), r.code() + " 3.10 3.52\n");
        Files.writeString(run.resolve("data-check.out"), r.output());
        Files.writeString(run.resolve("data-device"), "/dev/vda2\n");
        return r.code();
    }

    @Test
    void aCheckThatCorrectedErrorsIsLoggedWithE2fscksWordsAndTheBootGoesOn() throws Exception {
        assumeTrue(Ext4Images.present(), "e2fsprogs is absent (.ci/install-machine.sh installs it)");
        m = new TestMachine(Files.createDirectories(tmp.resolve("machine")));
        assertThat(checkedAtBoot(Ext4Images.withWrongLinkCount(tmp.resolve("data.img")))).isEqualTo(1);
        m.component("net", false, "exit 0");

        Process p = m.boot();
        m.awaitCurrent(b -> b.marker(Marker.READY) != null, p);

        String log = m.logged();
        assertThat(log).contains("WARN agent RAYOS_DATA_CHECK device=/dev/vda2 result=corrected exit=1 ms=420 mounted=false")
                .contains("INFO e2fsck OUTPUT msg=\"").contains("Inode 2 ref count is 7").contains("FIXED");
        assertThat(log.indexOf("RAYOS_DATA_CHECK")).isLessThan(log.indexOf("RAYOS_READY"));
        assertThat(m.current().mode()).isEqualTo(BootMode.NORMAL);
        p.destroy();
        m.exit(p);
    }

    @Test
    void aCheckThatLeftErrorsMakesTheBootARecoveryBootAndSaysWhy() throws Exception {
        assumeTrue(Ext4Images.present(), "e2fsprogs is absent (.ci/install-machine.sh installs it)");
        m = new TestMachine(Files.createDirectories(tmp.resolve("machine")));
        assertThat(checkedAtBoot(Ext4Images.withIllegalSocket(tmp.resolve("data.img")))).isEqualTo(4);
        Files.writeString(m.root.resolve("run/rayos/mode"), "recovery\n"); // what /init writes then
        m.component("net", false, "exit 0");

        Process p = m.boot();

        assertThat(m.exit(p)).isEqualTo(AgentExit.POWEROFF);
        assertThat(m.current().mode()).as("the kernel line said normal").isEqualTo(BootMode.RECOVERY);
        assertThat(m.root.resolve("ran-net")).as("no component runs").doesNotExist();
        assertThat(m.logged()).contains("CRIT agent RAYOS_DATA_CHECK device=/dev/vda2 result=uncorrected exit=4 ms=420 "
                + "mounted=false then=recovery").contains("UNEXPECTED INCONSISTENCY").contains("TEST_RECOVERY_CONSOLE");
    }

    @Test
    void aDamagedRecordIsLoggedAsUnknownAndNoCheckMeansNoEvent() throws Exception {
        m = new TestMachine(Files.createDirectories(tmp.resolve("machine")));
        m.mode("recovery");
        Process first = m.boot();
        m.exit(first);
        assertThat(m.logged()).doesNotContain("RAYOS_DATA_CHECK");
        Files.createDirectories(m.root.resolve("run/rayos"));
        Files.writeString(m.root.resolve("run/rayos/data-check"), "1 3.10\n");
        Process second = m.boot();
        m.exit(second);
        assertThat(m.logged()).contains("WARN agent RAYOS_DATA_CHECK device=unknown result=unknown error=\"record ");
    }

    @Test
    void aModeFileOfInitsOverridesTheKernelLineAndGarbageThereIsIgnored() throws Exception {
        m = new TestMachine(Files.createDirectories(tmp.resolve("machine")));
        MachinePaths paths = new MachinePaths(m.root);
        assertThat(Agent.mode(paths)).isEqualTo(BootMode.NORMAL);
        Files.createDirectories(m.root.resolve("run/rayos"));
        Files.writeString(paths.modeOverride(), "recovery\n");
        assertThat(Agent.mode(paths)).isEqualTo(BootMode.RECOVERY);
        Files.writeString(paths.modeOverride(), "../../etc\n");
        assertThat(Agent.mode(paths)).isEqualTo(BootMode.NORMAL);
    }

    @Test
    void theVectorsReadAsTheDocsSay() throws Exception {
        Path vectors = Path.of(System.getProperty("rayos.repo", "..")).resolve("docs/boot-vectors/data-check.json");
        List<Object> all = JSON.std.listFrom(Files.readString(vectors));
        assertThat(all).hasSizeGreaterThan(10);
        for (Object o : all) {
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) o;
            String record = (String) v.get("record");
            if (Boolean.TRUE.equals(v.get("error"))) {
                assertThatThrownBy(() -> DataCheck.parse(record)).as((String) v.get("name"))
                        .isInstanceOf(DataCheck.BadRecord.class).message().isNotBlank();
            } else {
                DataCheck.Record r = DataCheck.parse(record);
                assertThat(r.status()).as((String) v.get("name")).isEqualTo(((Number) v.get("status")).intValue());
                assertThat(r.millis()).as((String) v.get("name")).isEqualTo(((Number) v.get("ms")).longValue());
                assertThat(r.outcome().id()).as((String) v.get("name")).isEqualTo(v.get("result"));
            }
        }
    }

    @Property
    void anyTextIsARecordOrATypedError(@ForAll("hostile") String text) {
        try {
            DataCheck.Record r = DataCheck.parse(text);
            assertThat(r.status()).isBetween(0, 255);
            assertThat(r.millis()).isNotNegative();
        } catch (DataCheck.BadRecord e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property
    void everyRecordInitWritesReadsBack(@ForAll @IntRange(max = 255) int status, @ForAll @IntRange(max = 99_999) int start,
                                        @ForAll @IntRange(max = 99_999) int took) throws Exception {
        String t0 = String.format("%d.%02d", start / 100, start % 100);
        String t1 = String.format("%d.%02d", (start + took) / 100, (start + took) % 100);
        DataCheck.Record r = DataCheck.parse(status + " " + t0 + " " + t1 + "\n");
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.millis()).isEqualTo(took * 10L);
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("0123456789. \n-x").ofMaxLength(40),
                Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(30)
                        .map(d -> d + " " + d + ".00 " + d + ".99"));
    }
}
