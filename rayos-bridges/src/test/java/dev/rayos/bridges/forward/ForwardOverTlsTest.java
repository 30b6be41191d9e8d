package dev.rayos.bridges.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.bridges.rsyslog.Rsyslog;
import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tls://}: the JDK's SSLSocket against a real rsyslogd with its GnuTLS driver and a CA made by openssl here. */
class ForwardOverTlsTest {
    @TempDir
    Path tmp;
    RootLayout layout;
    Path pki;

    @BeforeEach
    void setUp() throws Exception {
        Rsyslog.assumeInstalled();
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so"))
                        || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so")),
                "rsyslog's GnuTLS driver (rsyslog-gnutls, .ci/install-bridges.sh) is not installed: skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed: skipped");
        layout = new RootLayout(tmp.resolve("root"));
        pki = Files.createDirectories(tmp.resolve("pki"));
        ca("ca");
        ca("other-ca");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "srv.csr", "-subj", "/CN=localhost");
        Files.writeString(pki.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "cert.pem",
                "-days", "2", "-extfile", "san.ext");
        try (LogSystem sys = LogSystem.builder(layout).boot(BootId.random()).policy(Policy.parse(""))
                .console(new ByteArrayOutputStream()).open()) {
            for (int i = 0; i < 300; i++) {
                sys.logger("app").info("LINE").kv("n", i).log();
            }
        }
    }

    private void ca(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-days", "2",
                "-subj", "/CN=" + name);
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(pki.toFile()).redirectErrorStream(true)
                .redirectOutput(pki.resolve("openssl.out").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(pki.resolve("openssl.out"))).isZero();
    }

    private Rsyslog collector() throws Exception {
        return new Rsyslog(tmp.resolve("rsyslog"), Rsyslog.freePort())
                .tls(pki.resolve("ca.pem"), pki.resolve("cert.pem"), pki.resolve("key.pem")).start();
    }

    @Test
    void linesReachACollectorWhoseCertificateChainsToTheCaFile() throws Exception {
        try (Rsyslog r = collector();
             Forwarder f = new Forwarder(layout, ForwardConfig.of(URI.create("tls://127.0.0.1:" + r.port),
                     pki.resolve("ca.pem"), "test"), null)) {
            assertThat(f.once().lines()).isEqualTo(300);
            List<Rsyslog.Received> got = r.await(x -> x.size() >= 300, "300 lines");
            assertThat(got).hasSize(300);
            assertThat(got.get(299).line()).contains(" INFO app LINE n=299");
            assertThat(got.get(299).seq()).isEqualTo(300);
        }
    }

    @Test
    void aCollectorWhoseCertificateTheCaFileDoesNotSignIsRefusedAndNothingIsSent() throws Exception {
        try (Rsyslog r = collector();
             Forwarder f = new Forwarder(layout, ForwardConfig.of(URI.create("tls://127.0.0.1:" + r.port),
                     pki.resolve("other-ca.pem"), "test"), null)) {
            assertThatThrownBy(f::once).isInstanceOf(SSLException.class);
            assertThat(Files.readString(layout.forwardDir().resolve("boot.cursor"))).as("the cursor did not move")
                    .contains(" seq=0 boot=- part=0 inode=0 offset=0 ");
            assertThat(r.received()).isEmpty();
        }
    }
}
