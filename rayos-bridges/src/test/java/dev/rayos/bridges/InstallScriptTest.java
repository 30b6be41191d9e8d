package dev.rayos.bridges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code .ci/install-bridges.sh} on a machine where it already ran: it succeeds and changes nothing. */
class InstallScriptTest {
    private static final Path DPKG_STATUS = Path.of("/var/lib/dpkg/status");

    private static Path script() {
        String r = System.getProperty("rayos.repo");
        Path repo = r != null ? Path.of(r) : Path.of("..").toAbsolutePath().normalize();
        return repo.resolve(".ci/install-bridges.sh");
    }

    @Test
    void runningTheInstallScriptAgainSucceedsAndInstallsNothing() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/logger")) && Files.isExecutable(Path.of("/usr/sbin/rsyslogd"))
                        && Files.isExecutable(Path.of("/usr/bin/jq")) && Files.isExecutable(Path.of("/usr/bin/openssl")),
                "the bridge tools are not installed (.ci/install-bridges.sh installs them): its second run cannot be told apart");
        assumeTrue(Files.isReadable(DPKG_STATUS), "no dpkg here");
        byte[] before = Files.readAllBytes(DPKG_STATUS);
        Path policyRc = Path.of("/usr/sbin/policy-rc.d");
        byte[] rcBefore = Files.exists(policyRc) ? Files.readAllBytes(policyRc) : null;
        for (int run = 0; run < 2; run++) {
            Process p = new ProcessBuilder("bash", script().toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).as("nothing to say when all is there").isEmpty();
        }
        assertThat(Files.readAllBytes(DPKG_STATUS)).as("no package installed or removed").isEqualTo(before);
        assertThat(Files.exists(policyRc) ? Files.readAllBytes(policyRc) : null).as("the machine's policy-rc.d as it was")
                .isEqualTo(rcBefore);
    }
}
