package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(r.out()).startsWith("CATEGORY").containsPattern("\nboot +0 +- +0 +[1-9][0-9]* B\n");
        assertThat(Files.exists(root.resolve("var/rayos/forward"))).isFalse();
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
    void helpTeachesWithExamples() {
        Cli.Result r = Cli.run("forward", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--once", "--target=URL", "--status", "RFC 5424", "rayos forward --status");
    }
}
