package dev.rayos.machine.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.bridges.forward.ForwardState;
import dev.rayos.bridges.rsyslog.Rsyslog;
import dev.rayos.log.line.Marker;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.boot.FailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The boot agent on a plain directory root, in a child JVM, with real component processes. */
class AgentTest {
    /** A component that never finishes: it says its pid so the test can end it. */
    static final String HANG = "echo $$ > \"$RAYOS_ROOT/pid-$RAYOS_COMPONENT\"\nexec sleep 300";

    @TempDir
    Path tmp;
    TestMachine m;

    @BeforeEach
    void machine() throws Exception {
        m = new TestMachine(Files.createDirectories(tmp.resolve("machine")));
    }

    @AfterEach
    void end() throws Exception {
        m.close();
        // nothing was written beside the machine's root
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("machine");
        }
    }

    @Test
    void componentsThatAllExitZeroMakeTheBootReadyAndTheCountedEntryIsBlessed() throws Exception {
        m.component("net", false, "exit 0").component("store", true, "echo hello from store\nexit 0")
                .component("svc", false, "echo $$ > \"$RAYOS_ROOT/pid-svc\"\necho READY\nexec sleep 300") // a service: ready, keeps running
                .bootManagerStarted("rayos+3.conf", "rayos+2-1.conf");
        Process p = m.boot();
        BootRecord r = m.awaitCurrent(b -> b.marker(Marker.READY) != null && b.loader() != null && b.loader().blessed(), p);
        assertThat(r.mode()).isEqualTo(BootMode.NORMAL);
        assertThat(r.failure()).isNull();
        assertThat(r.loader().entry()).isEqualTo("rayos+2-1.conf");
        assertThat(r.loader().triesLeft()).isEqualTo(2);
        assertThat(r.loader().triesDone()).isEqualTo(1);
        try (Stream<Path> s = Files.list(m.root.resolve("efi/loader/entries"))) {
            assertThat(s.map(x -> x.getFileName().toString()).sorted().toList())
                    .containsExactly("rayos-recovery.conf", "rayos-safe.conf", "rayos.conf");
        }
        long svc = Long.parseLong(Files.readString(m.root.resolve("pid-svc")).strip());
        p.destroy(); // SIGTERM: the machine shuts down
        assertThat(m.exit(p)).isEqualTo(143);
        assertThat(ProcessHandle.of(svc).filter(ProcessHandle::isAlive)).as("the running service was stopped").isEmpty();
        BootRecord after = m.current();
        assertThat(after.end()).isEqualTo(EndState.CLEAN);
        String log = m.logged();
        assertThat(log).contains("RAYOS_AGENT_START", "RAYOS_BOOT_ENTRY", "RAYOS_READY", "RAYOS_BOOT_BLESSED", "hello from store",
                "RAYOS_WATCHDOG_ARMED", "RAYOS_WATCHDOG_DISARMED", "RAYOS_SHUTDOWN", "RAYOS_COMPONENT_READY",
                "RAYOS_COMPONENT_STOP name=svc how=term", "RAYOS_COMPONENT_EXIT name=svc status=143");
        assertThat(log).doesNotContain("RAYOS_BOOT_WATCHDOG_EXPIRED", "how=kill");
        assertThat(log.indexOf("RAYOS_COMPONENT_EXIT name=svc")).isLessThan(log.indexOf("RAYOS_SHUTDOWN"));
        assertThat(m.root.resolve("proc/sysrq-trigger")).isEmptyFile();
        assertThat(m.root.resolve("ran-net")).hasContent("normal");
    }

    /** The collector's own directory (rsyslogd's config, pid file, work directory, what it received). */
    @TempDir
    Path collector;

    @Test
    void withAForwardTargetTheAgentForwardsTheBootsLinesForItsLifetimeAndStopsCleanlyAtItsEnd() throws Exception {
        Rsyslog.assumeInstalled();
        try (Rsyslog rsyslog = new Rsyslog(collector, Rsyslog.freePort()).start()) {
            m.policy("forward.target = tcp://127.0.0.1:" + rsyslog.port + "\n")
                    .component("svc", false, "echo $$ > \"$RAYOS_ROOT/pid-svc\"\necho READY\nexec sleep 300");
            Process p = m.boot();
            BootRecord r = m.awaitCurrent(b -> b.marker(Marker.READY) != null, p);
            rsyslog.await(x -> x.stream().anyMatch(l -> l.line().contains(" NOTICE agent RAYOS_READY ")), "the boot's RAYOS_READY");
            // the loop records "up" once the batch's send has returned, a moment after the collector has it
            ForwardState running = ForwardState.read(m.layout).orElseThrow();
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                 running.describe().contains(" starting since ") && System.nanoTime() < until; ) {
                Thread.sleep(50);
                running = ForwardState.read(m.layout).orElseThrow();
            }
            assertThat(running.describe()).as("what rayos forward --status says")
                    .matches("running in the boot agent \\(pid " + p.pid() + "\\), tcp://127\\.0\\.0\\.1:" + rsyslog.port
                            + " up since \\S+Z");
            // a line logged by another process during the boot goes too
            Process logger = new ProcessBuilder("logger", "-u", m.layout.syslogSocket().toString(), "-t", "backup",
                    "nightly backup done").start();
            assertThat(logger.waitFor(30, TimeUnit.SECONDS)).isTrue();
            rsyslog.await(x -> x.stream().anyMatch(l -> l.line().contains(" backup SYSLOG ")), "the logger line");

            p.destroy(); // SIGTERM: the boot ends
            assertThat(m.exit(p)).isEqualTo(143);
            List<Rsyslog.Received> got = rsyslog.await(x -> x.stream().anyMatch(l -> l.line().contains(" agent RAYOS_SHUTDOWN ")),
                    "the boot's last line, RAYOS_SHUTDOWN");
            assertThat(ForwardState.read(m.layout).orElseThrow().describe())
                    .startsWith("not running: the boot agent (pid " + p.pid() + ") stopped forwarding to tcp://127.0.0.1:");
            assertThat(m.logged()).contains(" NOTICE forward FORWARD_STOP lines=");
            assertThat(got).allMatch(x -> x.boot().equals(r.id().hex()) && x.category().equals("boot"));

            // the next boot goes on in the same stream: nothing twice, no seq missing
            m.noComponents();
            Process next = m.boot();
            m.awaitCurrent(b -> !b.id().equals(r.id()) && b.marker(Marker.READY) != null, next);
            List<Rsyslog.Received> all = rsyslog.await(x -> x.stream().anyMatch(l -> !l.boot().equals(r.id().hex())
                    && l.line().contains(" NOTICE agent RAYOS_READY ")), "the next boot's RAYOS_READY");
            assertThat(all).anyMatch(x -> x.boot().equals(r.id().hex()) && x.line().contains(" forward FORWARD_STOP "));
            assertThat(all.stream().map(Rsyslog.Received::stream).distinct()).hasSize(1);
            assertThat(all.stream().map(Rsyslog.Received::seq).distinct().count()).as("nothing sent twice").isEqualTo(all.size());
            assertThat(all.stream().mapToLong(Rsyslog.Received::seq).max().orElseThrow()).as("no seq missing").isEqualTo(all.size());
            next.destroy();
            m.exit(next);
        }
    }

    @Test
    void withoutAForwardTargetTheAgentForwardsNothing() throws Exception {
        Process p = m.boot();
        m.awaitCurrent(b -> b.marker(Marker.READY) != null, p);
        p.destroy();
        m.exit(p);
        assertThat(m.layout.forwardState()).doesNotExist();
        assertThat(m.layout.forwardDir()).doesNotExist();
    }

    @Test
    void aComponentThatIgnoresSigtermIsKilledWhenTheBootEndsAndTheKillIsLogged() throws Exception {
        m.component("stubborn", false, "trap '' TERM\necho $$ > \"$RAYOS_ROOT/pid-stubborn\"\necho READY\nwhile :; do sleep 1; done");
        Process p = m.boot();
        m.awaitCurrent(b -> b.marker(Marker.READY) != null, p);
        long pid = Long.parseLong(Files.readString(m.root.resolve("pid-stubborn")).strip());
        p.destroy();
        assertThat(m.exit(p)).isEqualTo(143);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(m.current().end()).isEqualTo(EndState.CLEAN);
        assertThat(m.logged()).contains("RAYOS_COMPONENT_STOP name=stubborn how=term",
                "WARN agent RAYOS_COMPONENT_STOP name=stubborn how=kill", "RAYOS_COMPONENT_EXIT name=stubborn status=137");
    }

    @Test
    void aComponentExitingThreeFailsTheBootWhichTheAgentEndsWithAReboot() throws Exception {
        m.component("net", false, "exit 0").component("broken", false, "exit 3").bootManagerStarted("rayos+3.conf", "rayos+2-1.conf");
        Process p = m.boot();
        assertThat(m.exit(p)).isEqualTo(AgentExit.REBOOT);
        BootRecord r = m.current();
        assertThat(r.failure()).isEqualTo(FailureReason.NO_READY);
        assertThat(r.marker(Marker.READY)).isNull();
        assertThat(r.loader().blessed()).isFalse();
        assertThat(m.root.resolve("efi/loader/entries/rayos+2-1.conf")).exists();
        assertThat(m.logged()).contains("RAYOS_BOOT_FAILED").contains("component=broken").contains("status=3");

        // the next boot judges it: failed, for no_ready, not ended cleanly
        BootId first = r.id();
        m.noComponents();
        Process next = m.boot();
        m.awaitCurrent(b -> !b.id().equals(first) && b.marker(Marker.READY) != null, next);
        BootRecord judged = m.boots().read(first);
        assertThat(judged.failure()).isEqualTo(FailureReason.NO_READY);
        assertThat(judged.end()).isEqualTo(EndState.UNCLEAN);
        next.destroy();
        m.exit(next);
        assertThat(m.logged()).contains("RAYOS_PREVIOUS_BOOT").contains("reason=no_ready");
    }

    @Test
    void aHangingComponentIsCaughtByTheSoftwareWatchdogWhichAsksTheKernelToReboot() throws Exception {
        m.policy("boot.ready_timeout = 10\n").component("stuck", false, HANG).bootManagerStarted("rayos+3.conf", "rayos+2-1.conf");
        Process p = m.boot();
        BootRecord r = m.awaitCurrent(b -> b.failure() != null, p);
        assertThat(r.failure()).isEqualTo(FailureReason.WATCHDOG);
        long until = System.nanoTime() + 30_000_000_000L;
        while (Files.size(m.root.resolve("proc/sysrq-trigger")) == 0 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(m.root.resolve("proc/sysrq-trigger")).hasContent("b");
        assertThat(p.isAlive()).isTrue(); // on a real machine the kernel reboots now; here the test resets it
        p.destroyForcibly().waitFor();
        assertThat(m.logged()).contains("RAYOS_BOOT_WATCHDOG_EXPIRED").contains("kind=software");
        assertThat(m.root.resolve("efi/loader/entries/rayos+2-1.conf")).exists();

        // the next boot records the watchdog reset
        BootId first = r.id();
        m.close();
        Files.delete(m.root.resolve("pid-stuck"));
        m.noComponents().policy("");
        Process next = m.boot();
        m.awaitCurrent(b -> !b.id().equals(first) && b.marker(Marker.READY) != null, next);
        BootRecord judged = m.boots().read(first);
        assertThat(judged.failure()).isEqualTo(FailureReason.WATCHDOG);
        assertThat(judged.end()).isEqualTo(EndState.WATCHDOG);
        next.destroy();
        m.exit(next);
    }

    @Test
    void safeModeRunsOnlyTheSafeComponentsAndBlessesNothing() throws Exception {
        m.mode("safe").component("net", false, "exit 3").component("store", true, "exit 0")
                .bootManagerStarted("rayos-safe.conf", "rayos+3.conf");
        Process p = m.boot();
        BootRecord r = m.awaitCurrent(b -> b.marker(Marker.READY) != null, p);
        assertThat(r.mode()).isEqualTo(BootMode.SAFE);
        assertThat(m.root.resolve("ran-store")).hasContent("safe");
        assertThat(m.root.resolve("ran-net")).doesNotExist();
        assertThat(m.root.resolve("efi/loader/entries/rayos+3.conf")).exists();
        p.destroy();
        m.exit(p);
        assertThat(m.logged()).contains("RAYOS_READY").contains("mode=safe");
    }

    @Test
    void aPanicKeptInPstoreBecomesTheCrashReportOfThePreviousBoot() throws Exception {
        m.component("stuck", false, HANG);
        Process p = m.boot();
        BootRecord r = m.awaitCurrent(b -> b.loader() == null && m.root.resolve("pid-stuck").toFile().exists(), p);
        p.destroyForcibly().waitFor(); // the kernel panicked: nothing more of this boot was written
        m.close();
        Files.delete(m.root.resolve("pid-stuck"));

        // efi-pstore keeps the end of the kernel log in parts, Part1 the newest, each line with its printk level
        List<String> panic = Files.readAllLines(fixture());
        int half = panic.size() / 2;
        Path pstore = Files.createDirectories(m.root.resolve("sys/fs/pstore"));
        Files.writeString(pstore.resolve("dmesg-efi-175000000000002"), part(2, panic.subList(0, half)));
        Files.writeString(pstore.resolve("dmesg-efi-175000000000001"), part(1, panic.subList(half, panic.size())));

        m.noComponents();
        Process next = m.boot();
        m.awaitCurrent(b -> !b.id().equals(r.id()) && b.marker(Marker.READY) != null, next);
        BootRecord judged = m.boots().read(r.id());
        assertThat(judged.failure()).isEqualTo(FailureReason.PANIC);
        assertThat(judged.end()).isEqualTo(EndState.CRASH);
        Path report = m.layout.crashReport(r.id());
        assertThat(judged.crash()).isEqualTo(m.layout.relative(report));
        assertThat(report).exists();
        assertThat(Files.readString(report)).contains("sysrq triggered crash").contains(r.id().hex()).contains("pstore");
        try (Stream<Path> s = Files.list(pstore)) {
            assertThat(s.toList()).isEmpty();
        }
        next.destroy();
        m.exit(next);
        assertThat(m.logged()).contains("RAYOS_PREVIOUS_BOOT").contains("reason=panic");
    }

    @Test
    void recoveryModeRunsTheConsoleAndNoComponents() throws Exception {
        m.mode("recovery").component("net", false, "exit 0");
        Process p = m.boot();
        assertThat(m.exit(p)).isEqualTo(AgentExit.POWEROFF);
        assertThat(m.root.resolve("ran-net")).doesNotExist();
        assertThat(m.current().end()).isEqualTo(EndState.CLEAN);
        assertThat(m.logged()).contains("TEST_RECOVERY_CONSOLE").doesNotContain("RAYOS_WATCHDOG_ARMED");
    }

    /** A real Linux 6.1 sysrq panic as the serial console showed it (the crash-report vectors' copy). */
    static Path fixture() {
        return Path.of(System.getProperty("rayos.repo", "..")).resolve("docs/crash-report-vectors/kernel/linux-6.1-sysrq-panic.serial.log");
    }

    static String part(int n, List<String> lines) {
        List<String> out = new ArrayList<>();
        out.add("Panic#1 Part" + n);
        for (String l : lines) {
            out.add("<" + (l.contains("Kernel panic") ? 0 : 4) + ">" + l);
        }
        return String.join("\n", out) + "\n";
    }
}
