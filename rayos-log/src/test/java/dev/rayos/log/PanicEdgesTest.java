package dev.rayos.log;

import dev.rayos.log.crash.CrashReportFiles;
import dev.rayos.log.crash.CrashReport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Panics at their edges (docs/crash-report.md, "Panics"): each kind of detail, the time a report
 * carries, the place an exception puts it, a report bigger than its share of the ring, and a panic
 * raised while another is being handled on the same thread.
 */
class PanicEdgesTest {
    @TempDir
    Path root;

    LogSystem open(BootId boot, LogSystem.Builder b) throws Exception {
        return b.boot(boot).console(new ByteArrayOutputStream()).open();
    }

    LogSystem.Builder builder() {
        return LogSystem.builder(new RootLayout(root)).policy(Policy.DEFAULTS);
    }

    @Test
    void eachDetailFillsItsFieldAndOneThatFitsNoneIsKeptWhole() throws Exception {
        BootId boot = BootId.random();
        Panic.Outcome o;
        try (LogSystem sys = open(boot, builder())) {
            o = Panic.of(sys, "kernel").panic("driver gave up", "location=drivers/net.c:12", "kind=oops",
                    "9bad=x", "=no key", "fault_address=not hex", "reg.RAX=0x1", "slot=3", null);
        }
        CrashReport r = o.report();
        assertThat(r.location()).contains("drivers/net.c:12");
        assertThat(r.kind()).contains("oops");
        assertThat(r.registers()).containsEntry("RAX", "0x1");
        assertThat(r.faultAddress()).isEmpty();
        assertThat(r.attributes()).containsEntry("slot", "3").containsEntry("detail_3", "9bad=x")
                .containsEntry("detail_4", "=no key").containsEntry("detail_5", "fault_address=not hex")
                .doesNotContainKeys("detail_1", "detail_2", "detail_6", "detail_7", "detail_8");
        assertThat(CrashReportFiles.read(o.file())).isEqualTo(r);
    }

    @Test
    void aPanicIsStampedWithTheWallClockToTheMicrosecondOrMonoBeforeItIsKnown() throws Exception {
        LogClock clock = new LogClock() {
            @Override
            public long monoNanos() {
                return 42_000_000_123L;
            }

            @Override
            public long utcNanos() {
                return 1_796_551_200_123_456_789L;
            }
        };
        Panic.Outcome utc;
        Panic.Outcome mono;
        try (LogSystem sys = open(BootId.random(), builder().clock(clock))) {
            utc = Panic.of(sys, "kernel").panic("with a wall clock");
        }
        try (LogSystem sys = open(BootId.random(), builder().clock(clock).wallClockKnown(false))) {
            mono = Panic.of(sys, "kernel").panic("without one");
        }
        assertThat(utc.report().time()).isEqualTo(Timestamp.utc(1_796_551_200_123_456_000L));
        assertThat(mono.report().time()).isEqualTo(Timestamp.mono(42_000_000_123L));
    }

    @Test
    void aPanicBecauseOfAnExceptionIsPlacedAtItsTopFrameAndOneWithoutAStackNowhere() throws Exception {
        IllegalStateException e = new IllegalStateException("queue gone");
        IllegalStateException bare = new IllegalStateException("no stack");
        bare.setStackTrace(new StackTraceElement[0]);
        Panic.Outcome o;
        Panic.Outcome none;
        try (LogSystem sys = open(BootId.random(), builder())) {
            o = Panic.of(sys, "kernel").panic("scheduler", e);
            none = Panic.of(sys, "kernel").panic("scheduler", bare);
        }
        assertThat(o.report().location()).contains(e.getStackTrace()[0].toString());
        assertThat(o.report().kind()).contains("java.lang.IllegalStateException");
        assertThat(none.report().location()).isEmpty();
        assertThat(none.banner()).noneMatch(l -> l.startsWith("where:"));
    }

    @Test
    void aReportBiggerThanAQuarterOfTheRingIsCutToFitAndHeldThere() throws Exception {
        BootId boot = BootId.random();
        Panic.Outcome o;
        try (LogSystem sys = open(boot, builder().policy(Policy.parse("ring.size = 256KiB\n")).mounted(false))) {
            String pad = "p".repeat(1500);
            for (int i = 0; i < 250; i++) {
                sys.logger("kernel").info("TICK").kv("i", i).kv("pad", pad).log();
            }
            o = Panic.of(sys, "kernel").panic("before the data partition");
            sys.mount();
            sys.flush();
        }
        assertThat(o.problems()).isEmpty();
        assertThat(o.inRing()).isTrue();
        assertThat(o.file()).isNull();
        String boots = Files.readString(new RootLayout(root).logFile("boot", boot));
        assertThat(boots).contains(" EMERG kernel RAYOS_PANIC reason=\"before the data partition\" kind=panic report=ring");
    }

    @Test
    void aPanicRaisedWhileAnotherIsHandledOnTheSameThreadIsRefusedAndTheFirstGoesOn() throws Exception {
        BootId boot = BootId.random();
        List<Panic.Outcome> inner = new ArrayList<>();
        LogSystem[] sys = new LogSystem[1];
        // A console device whose driver panics the first time it sees a panic banner.
        OutputStream device = new OutputStream() {
            final ByteArrayOutputStream seen = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                seen.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                seen.write(b, off, len);
                if (inner.isEmpty() && new String(b, off, len, StandardCharsets.UTF_8).contains("RayOS panic")) {
                    inner.add(Panic.of(sys[0], "serial").panic("serial driver wedged"));
                }
            }
        };
        Panic.Outcome outer;
        try (LogSystem s = LogSystem.builder(new RootLayout(root)).policy(Policy.DEFAULTS).boot(boot).console(device)
                .open()) {
            sys[0] = s;
            outer = Panic.of(s, "kernel").panic("first");
        }
        assertThat(inner).singleElement().satisfies(i -> {
            assertThat(i.problems()).containsExactly("panic while panicking");
            assertThat(i.report()).isNull();
        });
        assertThat(outer.report().reason()).isEqualTo("first");
        assertThat(outer.file()).isEqualTo(new RootLayout(root).crashReport(boot));
        assertThat(CrashReportFiles.list(new RootLayout(root).crashPanicsDir())).hasSize(1);
    }

    @Test
    void aBannerLineOfExactlyTheWidthIsShownWholeAndOneCharacterMoreIsCutWithAnEllipsis() throws Exception {
        String fits = "r".repeat(Panic.BANNER_WIDTH - "what:   ".length());
        Panic.Outcome whole;
        Panic.Outcome cut;
        try (LogSystem sys = open(BootId.random(), builder())) {
            whole = Panic.of(sys, "kernel").panic(fits);
        }
        try (LogSystem sys = open(BootId.random(), builder())) {
            cut = Panic.of(sys, "kernel").panic(fits + "s");
        }
        assertThat(whole.banner()).contains("what:   " + fits);
        assertThat(cut.banner()).contains("what:   " + fits.substring(1) + "…");
        assertThat(cut.report().reason()).isEqualTo(fits + "s");
    }
}
