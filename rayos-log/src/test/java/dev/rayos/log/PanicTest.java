package dev.rayos.log;

import dev.rayos.log.boot.BuildInfo;
import dev.rayos.log.crash.CrashReportFiles;
import dev.rayos.log.crash.CrashRecords;
import dev.rayos.log.crash.CrashReport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PanicTest {
    @TempDir
    Path root;

    private RootLayout layout() {
        return new RootLayout(root);
    }

    private BootRecord startBoot() throws Exception {
        return new Boots(layout(), LogClock.system()).start(BootMode.NORMAL, true);
    }

    private LogSystem open(BootRecord boot, boolean mounted, ByteArrayOutputStream console) throws Exception {
        return LogSystem.builder(layout()).boot(boot.id()).console(console).mounted(mounted).open();
    }

    private static void tick(LogSystem sys, int n) {
        Logger k = sys.logger("kernel");
        for (int i = 0; i < n; i++) {
            k.info("TICK").kv("i", i).log();
        }
    }

    private List<Path> rings() throws Exception {
        if (!Files.isDirectory(layout().ringDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(layout().ringDir())) {
            return s.toList();
        }
    }

    @Test
    void panicWritesAReportWithTheLastLinesAndMarksTheBootCrashed() throws Exception {
        BootRecord boot = startBoot();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Panic.Outcome o;
        try (LogSystem sys = open(boot, true, console)) {
            tick(sys, 300);
            o = Panic.of(sys, "vm.supervisor").panic("guest memory map lost", "fault_address=0x7F00",
                    "error_code=0x2", "reg.RIP=0xffffffff81000000", "slot=3", "not a detail");
        }

        assertThat(o.problems()).isEmpty();
        assertThat(o.inRing()).isFalse();
        assertThat(o.file()).isEqualTo(layout().crashReport(boot.id()));
        CrashReport r = CrashReportFiles.read(o.file());
        assertThat(r.bootId()).isEqualTo(boot.id());
        assertThat(r.source()).isEqualTo(CrashReport.Source.RAYOS);
        assertThat(r.reason()).isEqualTo("guest memory map lost");
        assertThat(r.kind()).contains("panic");
        assertThat(r.version()).contains(BuildInfo.version());
        assertThat(r.buildId()).contains(BuildInfo.buildId());
        assertThat(r.faultAddress()).contains("0x7f00");
        assertThat(r.errorCode()).contains("0x2");
        assertThat(r.registers()).containsEntry("RIP", "0xffffffff81000000");
        assertThat(r.attributes()).containsEntry("slot", "3").containsEntry("detail_5", "not a detail")
                .containsEntry("component", "vm.supervisor")
                .as("details taken are not kept again").doesNotContainKeys("detail_1", "detail_2", "detail_3", "detail_4");
        assertThat(r.location()).hasValueSatisfying(l -> assertThat(l).contains("PanicTest"));
        assertThat(r.stack().get(0)).contains("PanicTest.panicWritesAReport");
        assertThat(r.lastLines()).hasSize(200);
        assertThat(r.lastLines().get(199)).contains("TICK i=299");
        assertThat(r.lastLines().get(0)).contains("TICK i=100");

        BootRecord after = new Boots(layout(), LogClock.system()).read(boot.id());
        assertThat(after.end()).isEqualTo(EndState.CRASH);
        assertThat(after.crash()).isEqualTo("var/rayos/crash/panics/" + boot.id().hex() + ".log");
        assertThat(Files.readString(layout().logFile("boot", boot.id())))
                .contains(" EMERG vm.supervisor RAYOS_PANIC reason=\"guest memory map lost\"")
                .contains("report=var/rayos/crash/panics/" + boot.id().hex() + ".log");
    }

    @Test
    void bannerIsOnTheConsoleWhenPanicReturnsAfterTheLinesBeforeIt() throws Exception {
        BootRecord boot = startBoot();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (LogSystem sys = open(boot, true, console)) {
            tick(sys, 5);
            Panic.Outcome o = Panic.of(sys, "kernel").panic("scheduler lost its run queue\nsecond line");
            String shown = console.toString(StandardCharsets.UTF_8); // read before close: no waiting

            assertThat(o.banner()).hasSizeLessThanOrEqualTo(10);
            assertThat(shown).contains(String.join("\n", o.banner()));
            assertThat(shown.indexOf("TICK i=4")).isLessThan(shown.indexOf("==== RayOS panic"));
            assertThat(o.banner()).anySatisfy(l -> assertThat(l)
                    .isEqualTo("what:   scheduler lost its run queue second line"));
            assertThat(o.banner()).anySatisfy(l -> assertThat(l).startsWith("boot:   " + boot.id().hex()));
            assertThat(o.banner()).anySatisfy(l -> assertThat(l)
                    .isEqualTo("report: var/rayos/crash/panics/" + boot.id().hex() + ".log"));
            assertThat(o.banner()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(Panic.BANNER_WIDTH));
        }
    }

    @Test
    void panicBeforeTheDataPartitionIsMountedIsHeldInTheRingAndTheNextBootWritesItOut() throws Exception {
        BootRecord crashed = startBoot();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Panic.Outcome o;
        try (LogSystem sys = open(crashed, false, console)) {
            tick(sys, 20);
            o = Panic.of(sys, "kernel").panic("no root device");
        }
        assertThat(o.inRing()).isTrue();
        assertThat(o.file()).isNull();
        assertThat(o.banner()).anySatisfy(l -> assertThat(l).startsWith("report: held in the ring run/rayos/ring/"));
        assertThat(layout().crashReport(crashed.id())).doesNotExist();
        assertThat(rings()).hasSize(1); // an unmounted ring is not drained, so close leaves it

        // the next boot: `rayos boot` marks the old one unclean, then its log system's start writes out
        BootRecord next = startBoot();
        try (LogSystem sys = open(next, true, new ByteArrayOutputStream())) {
            assertThat(sys.crashWriteOuts()).singleElement().satisfies(c -> {
                assertThat(c.report()).isEqualTo(layout().crashReport(crashed.id()));
                assertThat(c.problem()).isNull();
            });
        }
        CrashReport r = CrashReportFiles.read(layout().crashReport(crashed.id()));
        assertThat(r).isEqualTo(o.report());
        assertThat(r.lastLines()).hasSize(20);
        BootRecord h = new Boots(layout(), LogClock.system()).read(crashed.id());
        assertThat(h.end()).isEqualTo(EndState.CRASH);
        assertThat(h.crash()).isEqualTo(layout().relative(layout().crashReport(crashed.id())));
        assertThat(Files.readString(layout().logFile("boot", next.id())))
                .contains("CRASH_REPORT_RECOVERED boot=" + crashed.id().hex());
        assertThat(rings()).isEmpty();
    }

    @Test
    void panicBeforeMountIsWrittenOutByTheStoreOnceItMounts() throws Exception {
        BootRecord boot = startBoot();
        try (LogSystem sys = open(boot, false, new ByteArrayOutputStream())) {
            Panic.Outcome o = Panic.of(sys, "kernel").panic("early panic");
            assertThat(o.inRing()).isTrue();

            sys.mount();
            sys.flush();

            assertThat(CrashReportFiles.read(layout().crashReport(boot.id()))).isEqualTo(o.report());
            assertThat(new Boots(layout(), LogClock.system()).read(boot.id()).end()).isEqualTo(EndState.CRASH);
        }
    }

    @Test
    void reportIsKeptThroughBootsWhoseCrashDirectoryIsNotWritableAndWrittenOnceWhenItIs() throws Exception {
        BootRecord crashed = startBoot();
        Panic.Outcome o;
        try (LogSystem sys = open(crashed, true, new ByteArrayOutputStream())) {
            // the data partition is broken: a regular file where crash/panics/ should be
            Files.delete(layout().crashPanicsDir());
            Files.writeString(layout().crashPanicsDir(), "not a directory");
            o = Panic.of(sys, "kernel").panic("disk controller hung");
        }
        assertThat(o.inRing()).isTrue();
        // the store could not write it either, so it set the record aside in a ring of its own
        assertThat(rings()).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).startsWith("crash-"));

        // a boot on which it still cannot be written keeps it
        BootRecord second = startBoot();
        try (LogSystem sys = open(second, true, new ByteArrayOutputStream())) {
            assertThat(sys.crashWriteOuts()).singleElement().satisfies(c -> {
                assertThat(c.report()).isNull();
                assertThat(c.heldIn()).isNotNull();
                assertThat(c.problem()).contains("cannot write");
            });
        }
        assertThat(Files.readString(layout().logFile("boot", second.id()))).contains("CRASH_REPORT_HELD");
        assertThat(rings()).hasSize(1);

        // repaired: the next boot writes it, once
        Files.delete(layout().crashPanicsDir());
        BootRecord third = startBoot();
        try (LogSystem sys = open(third, true, new ByteArrayOutputStream())) {
            assertThat(sys.crashWriteOuts()).singleElement()
                    .satisfies(c -> assertThat(c.report()).isEqualTo(layout().crashReport(crashed.id())));
        }
        assertThat(CrashReportFiles.list(layout().crashPanicsDir())).containsExactly(layout().crashReport(crashed.id()));
        assertThat(CrashReportFiles.read(layout().crashReport(crashed.id()))).isEqualTo(o.report());
        assertThat(new Boots(layout(), LogClock.system()).read(crashed.id()).end()).isEqualTo(EndState.CRASH);
        assertThat(rings()).isEmpty();
    }

    @Test
    void aReportAlreadyOnDiskIsNotWrittenASecondTime() throws Exception {
        BootRecord boot = startBoot();
        Files.createDirectories(layout().crashPanicsDir());
        CrashReport r = CrashReport.builder(boot.id(), dev.rayos.log.line.Timestamp.mono(5),
                CrashReport.Source.RAYOS, "twice").build();
        byte[] payload = CrashRecords.encode(r, 1 << 20);

        CrashRecords.Result first = CrashRecords.store(layout(), LogClock.system(), payload);
        CrashRecords.Result again = CrashRecords.store(layout(), LogClock.system(), payload);

        assertThat(again.report()).isEqualTo(first.report());
        assertThat(CrashReportFiles.list(layout().crashPanicsDir())).hasSize(1);
    }

    @Test
    void aReportTooLargeForItsRecordLosesItsOldestLastLinesFirst() throws Exception {
        CrashReport.Builder b = CrashReport.builder(dev.rayos.log.root.BootId.random(),
                dev.rayos.log.line.Timestamp.mono(5), CrashReport.Source.RAYOS, "big").stack(List.of("at a", "at b"));
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            lines.add("2026-01-01T00:00:00.000000Z INFO kernel TICK i=" + i);
        }
        CrashReport full = b.lastLines(lines).build();

        CrashReport cut = CrashRecords.decode(CrashRecords.encode(full, 8192));

        assertThat(CrashRecords.encode(full, 8192).length).isLessThanOrEqualTo(8192);
        assertThat(cut.stack()).isEqualTo(full.stack());
        assertThat(cut.lastLines()).isNotEmpty().isEqualTo(lines.subList(1000 - cut.lastLines().size(), 1000));
        assertThat(cut.attributes()).containsEntry("truncated", "true");
    }

    @Test
    void anUncaughtExceptionPanicsWithItsStackAndCauses() throws Exception {
        BootRecord boot = startBoot();
        try (LogSystem sys = open(boot, true, new ByteArrayOutputStream())) {
            Exception e = new IllegalStateException("outer", new java.io.IOException("inner"));
            Panic.Outcome o = Panic.of(sys, "kernel").uncaught(new Thread("worker-7"), e);

            CrashReport r = CrashReportFiles.read(o.file());
            assertThat(r.reason()).isEqualTo("uncaught java.lang.IllegalStateException: outer in thread \"worker-7\"");
            assertThat(r.kind()).contains("java.lang.IllegalStateException");
            assertThat(r.stack()).anySatisfy(l -> assertThat(l).startsWith("Caused by: java.io.IOException: inner"));
            assertThat(r.registers()).isEmpty(); // a JVM panic has none
            assertThat(r.attributes()).containsEntry("origin", "uncaught_exception");
        }
    }
}
