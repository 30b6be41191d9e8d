package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.bridges.rsyslog.Rsyslog;
import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rayos forward}: its arguments, its errors, {@code --status}. The forwarding itself: rayos-bridges' ForwardToRsyslogTest. */
class ForwardCommandTest {
    @TempDir
    Path root;

    /** The collector's own directory, beside the machine's root. */
    @TempDir
    Path collector;

    private int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void statusShowsEveryCategoryNotSentYetAndSendsNothing() {
        assertThat(Cli.onRoot(root, "log", "app", "HELLO", "msg=hi").exit()).isZero();
        Cli.Result r = Cli.onRoot(root, "forward", "--status");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("forwarder: not running on this boot\nCATEGORY").containsPattern("\nboot +0 +- +0 +[1-9][0-9]* B\n");
        assertThat(Files.exists(root.resolve("var/rayos/forward"))).isFalse();
    }

    @Test
    void statusOnAMachineWithNoLogsYetSaysSoInsteadOfABareHeader() throws Exception {
        Files.createDirectories(root.resolve("var/rayos"));
        Cli.Result r = Cli.onRoot(root, "forward", "--status");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("forwarder: not running on this boot\n"
                + "cursors: none yet (nothing has been forwarded from this machine)\n");
    }

    @Test
    void aRefusedCollectorIsOneLineAndExit1AndTheCursorCountsNothingSent() throws Exception {
        assertThat(Cli.onRoot(root, "log", "app", "HELLO", "msg=hi").exit()).isZero();
        int port = closedPort();
        Cli.Result r = Cli.onRoot(root, "forward", "--once", "--target", "tcp://127.0.0.1:" + port);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("rayos: cannot send to tcp://127.0.0.1:" + port + ": Connection refused")
                .endsWith("(the cursors stand where it stopped)\n").hasLineCount(1);
        assertThat(Files.readString(root.resolve("var/rayos/forward/boot.cursor"))).as("nothing counted as sent")
                .contains(" seq=0 boot=- part=0 inode=0 offset=0 ");
    }

    @Test
    void aTargetThatIsNotTcpOrTlsIsRefusedWithExit2() {
        assertThat(Cli.onRoot(root, "log", "app", "HELLO", "msg=hi").exit()).isZero();
        Cli.Result r = Cli.onRoot(root, "forward", "--once", "--target", "udp://127.0.0.1:514");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("rayos: --target 'udp://127.0.0.1:514' is not tcp://HOST:PORT or tls://HOST:PORT\n");
    }

    @Test
    void withoutTargetOrPolicyItSaysWhereToSetOne() {
        assertThat(Cli.onRoot(root, "log", "app", "HELLO", "msg=hi").exit()).isZero();
        Cli.Result r = Cli.onRoot(root, "forward", "--once");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("rayos: no collector: give --target tcp://HOST:PORT or set forward.target in "
                + "etc/rayos/policy.conf\n");
    }

    @Test
    void aDamagedCursorIsNamedWithTheFixInStatusAndForward() throws Exception {
        assertThat(Cli.onRoot(root, "log", "app", "HELLO", "msg=hi").exit()).isZero();
        Files.createDirectories(root.resolve("var/rayos/forward"));
        Files.writeString(root.resolve("var/rayos/forward/boot.cursor"), "garbage\n");
        Cli.Result s = Cli.onRoot(root, "forward", "--status");
        assertThat(s.exit()).isEqualTo(1);
        assertThat(s.out()).contains("cursor damaged: not a cursor");
        Cli.Result r = Cli.onRoot(root, "forward", "--once", "--target", "tcp://127.0.0.1:" + closedPort());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("rayos: var/rayos/forward/boot.cursor is damaged (not a cursor (it starts "
                + "'rayos-forward-cursor/2' and ends ' crc=HEX8')): remove it to forward boot again from its oldest file\n");
    }

    @Test
    void aCategoryWhoseFilesAllWentIsNotSentOverAgainFromItsOldestFile() throws Exception {
        Rsyslog.assumeInstalled();
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        assertThat(Cli.onRoot(root, "log", "app", "FIRST_BOOT_LINE").exit()).isZero();
        try (Rsyslog rsyslog = new Rsyslog(collector, Rsyslog.freePort()).start()) {
            String target = "tcp://127.0.0.1:" + rsyslog.port;
            assertThat(Cli.onRoot(root, "forward", "--once", "--target", target).exit()).isZero();
            assertThat(Cli.onRoot(root, "boot").exit()).isZero();
            assertThat(Cli.onRoot(root, "log", "app", "SECOND_BOOT_LINE").exit()).isZero();
            assertThat(Cli.onRoot(root, "forward", "--once", "--target", target).exit()).isZero();
            BootId second = new Boots(new RootLayout(root), LogClock.system()).current().orElseThrow();
            try (var files = Files.list(root.resolve("var/rayos/logs/boot"))) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith(second.hex())).toList()) {
                    Files.delete(f); // the cursor's file gone and none after it (by hand, or caught mid-rotation)
                }
            }
            Cli.Result gone = Cli.onRoot(root, "forward", "--once", "--target", target);
            assertThat(gone.exit()).as(gone.err()).isZero();
            assertThat(Cli.onRoot(root, "log", "app", "AFTER_THE_GAP").exit()).isZero();
            Cli.Result after = Cli.onRoot(root, "forward", "--once", "--target", target);
            assertThat(after.exit()).as(after.err()).isZero();

            var got = rsyslog.await(x -> x.stream().anyMatch(l -> l.line().contains(" AFTER_THE_GAP")), "the line after the gap");
            assertThat(got.stream().filter(l -> l.line().contains(" app FIRST_BOOT_LINE"))).as("the first boot's line, once").hasSize(1);
            assertThat(got.stream().map(Rsyslog.Received::seq).distinct().count()).as("nothing sent twice").isEqualTo(got.size());
        }
    }

    @Test
    void linesVacuumedBeforeTheyWereSentAreCountedAndSaidLost() throws Exception {
        Rsyslog.assumeInstalled();
        RootLayout layout = new RootLayout(root);
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        BootId first = new Boots(layout, LogClock.system()).current().orElseThrow();
        write(layout, first, 0, 100);
        try (Rsyslog rsyslog = new Rsyslog(collector, Rsyslog.freePort()).start()) {
            String target = "tcp://127.0.0.1:" + rsyslog.port;
            Cli.Result sent = Cli.onRoot(root, "forward", "--once", "--target", target);
            assertThat(sent.exit()).as(sent.err()).isZero();
            write(layout, first, 100, 300);
            assertThat(Cli.onRoot(root, "boot").exit()).isZero();
            Path old = layout.logFile("boot", first);
            long inFile = Files.readString(old).lines().count();
            String cursor = Files.readString(layout.forwardCursor("boot"));
            long sentOfIt = Long.parseLong(cursor.replaceAll(".* line=(\\d+) .*\n", "$1"));
            assertThat(inFile - sentOfIt).isGreaterThanOrEqualTo(200);

            Cli.Result v = Cli.onRoot(root, "logs", "--vacuum-files=0");
            assertThat(v.exit()).as(v.err()).isZero();
            assertThat(old).doesNotExist();
            Cli.Result r = Cli.onRoot(root, "forward", "--once", "--target", target);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).endsWith("; " + (inFile - sentOfIt) + " lines lost: 1 file removed before they were sent "
                    + "(RAYOS_FORWARD_LOST)\n");
        }
    }

    private static void write(RootLayout layout, BootId boot, int from, int to) throws Exception {
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).console(java.io.OutputStream.nullOutputStream()).open()) {
            for (int n = from; n < to; n++) {
                sys.logger("app").info("LINE").kv("n", n).log();
            }
        }
    }

    @Test
    void helpTeachesWithExamples() {
        Cli.Result r = Cli.run("forward", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--once", "--target=URL", "--status", "RFC 5424", "rayos forward --status");
    }
}
