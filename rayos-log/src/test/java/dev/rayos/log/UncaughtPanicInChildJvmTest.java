package dev.rayos.log;

import dev.rayos.log.crash.CrashReportFiles;
import dev.rayos.log.crash.CrashReport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The default uncaught-exception handler in a real JVM that then halts, as a RayOS service would. */
class UncaughtPanicInChildJvmTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "data partition {0}")
    @ValueSource(strings = {"mounted", "broken", "early"})
    void anUncaughtExceptionInAChildJvmEndsInAReportOfItsBoot(String mode) throws Exception {
        RootLayout layout = new RootLayout(tmp.resolve("root"));
        Boots boots = new Boots(layout, LogClock.system());
        BootRecord crashed = boots.start(BootMode.NORMAL, true);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), PanickingJvm.class.getName(),
                layout.root().toString(), crashed.id().hex(), mode)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.out").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child ended").isTrue();
        String out = Files.readString(tmp.resolve("child.out"));
        assertThat(p.exitValue()).as(out).isEqualTo(Panic.EXIT_STATUS);
        assertThat(out).contains("==== RayOS panic", "what:   uncaught java.lang.IllegalStateException");

        if (!mode.equals("mounted")) {
            // held in a ring: the next boot writes it out (after the partition is repaired)
            assertThat(Files.exists(layout.crashReport(crashed.id()))).isFalse();
            Files.deleteIfExists(layout.crashPanicsDir());
            BootRecord next = boots.start(BootMode.NORMAL, true);
            try (LogSystem sys = LogSystem.builder(layout).boot(next.id()).console(new ByteArrayOutputStream()).open()) {
                assertThat(sys.crashWriteOuts()).isNotEmpty().allSatisfy(c -> assertThat(c.report()).isNotNull());
            }
        }

        assertThat(CrashReportFiles.list(layout.crashPanicsDir())).containsExactly(layout.crashReport(crashed.id()));
        CrashReport r = CrashReportFiles.read(layout.crashReport(crashed.id()));
        assertThat(r.reason()).isEqualTo("uncaught java.lang.IllegalStateException: virtqueue index out of range"
                + " in thread \"guest-io\"");
        assertThat(r.kind()).contains("java.lang.IllegalStateException");
        assertThat(r.location()).hasValueSatisfying(l -> assertThat(l).contains("PanickingJvm.fail"));
        assertThat(r.attributes()).containsEntry("thread", "guest-io").containsEntry("component", "vm.supervisor");
        assertThat(r.lastLines()).last().asString().contains("GUEST_TICK i=49");
        BootRecord h = boots.read(crashed.id());
        assertThat(h.end()).isEqualTo(EndState.CRASH);
        assertThat(h.crash()).isEqualTo(layout.relative(layout.crashReport(crashed.id())));
    }
}
