package dev.rayos.log.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.RootLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every limit of docs/policy.md at its edge: the value at the limit is taken, one past it is refused with the line. */
class PolicyLimitsTest {
    @TempDir
    Path root;

    private static String refusal(String text) {
        try {
            Policy.parse(text);
        } catch (PolicyException e) {
            return e.getMessage();
        }
        throw new AssertionError("taken: " + text);
    }

    @Test
    void aPolicyOfExactlyTenThousandLinesIsReadAndOneLineMoreIsRefused() throws Exception {
        String tenThousand = "# comment\n".repeat(9_999) + "ring.size = 512KiB";
        assertThat(Policy.parse(tenThousand).ringBytes()).isEqualTo(512 * 1024);
        assertThat(refusal(tenThousand + "\n")).isEqualTo("line 10001: more than 10000 lines");
    }

    @Test
    void aFileWrittenWithWindowsLineEndsReadsTheSame() throws Exception {
        Policy p = Policy.parse("ring.size = 512KiB\r\nretention.boot.max_file_size = 2MiB\r\nlog.min_level = warn\r\n");
        assertThat(p.ringBytes()).isEqualTo(512 * 1024);
        assertThat(p.retention("boot").maxFileBytes()).isEqualTo(2L << 20);
        assertThat(p.retention("boot").maxFiles()).isEqualTo(Policy.DEFAULTS.retention("boot").maxFiles());
    }

    @Test
    void aLineThatStartsWithTheEqualsSignHasNoKeyAndIsNotASetting() {
        assertThat(refusal("= 5\n")).isEqualTo("line 1: unknown setting '' (see docs/policy.md)");
        assertThat(refusal("ring.size 5\n")).isEqualTo("line 1: expected 'key = value', found 'ring.size 5'");
    }

    @Test
    void aDevicePathStartingWithANulIsRefused() {
        assertThat(refusal("console.device = \0/dev/ttyS0\n")).isEqualTo("line 1: console.device holds a NUL byte");
        assertThat(refusal("crash.framebuffer = \0/dev/fb0\n")).isEqualTo("line 1: crash.framebuffer holds a NUL byte");
        assertThat(refusal("forward.target = tls://127.0.0.1:6514\nforward.ca_file = \0ca.pem\n"))
                .isEqualTo("line 2: forward.ca_file holds a NUL byte");
    }

    @Test
    void aRingOfExactlyOneGibibyteIsTakenAndOneByteMoreIsRefused() throws Exception {
        assertThat(Policy.parse("ring.size = 1GiB").ringBytes()).isEqualTo(1L << 30);
        assertThat(refusal("ring.size = 1073741825")).isEqualTo("line 0: ring.size above 1GiB");
    }

    @Test
    void countsAreTakenAtBothEndsOfTheirRangeAndRefusedOnePast() throws Exception {
        assertThat(Policy.parse("boot.max_failures = 1").boot().maxFailures()).isEqualTo(1);
        assertThat(Policy.parse("boot.max_failures = 9").boot().maxFailures()).isEqualTo(9);
        assertThat(refusal("boot.max_failures = 0")).isEqualTo("line 1: '0' is outside 1..9");
        assertThat(refusal("boot.max_failures = 10")).isEqualTo("line 1: '10' is outside 1..9");
        assertThat(Policy.parse("crash.last_lines = 0").crashLastLines()).isZero();
        assertThat(Policy.parse("crash.last_lines = 100000").crashLastLines()).isEqualTo(100_000);
    }

    @Test
    void theReadyTimeoutIsWholeSecondsWithOrWithoutItsUnit() throws Exception {
        assertThat(Policy.parse("boot.ready_timeout = 90s").boot().readyTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(Policy.parse("boot.ready_timeout = 90").boot().readyTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(Policy.parse("boot.ready_timeout = 10 s").boot().readyTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Policy.parse("boot.ready_timeout = 3600s").boot().readyTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(refusal("boot.ready_timeout = 9s")).isEqualTo("line 1: '9' is outside 10..3600");
        assertThat(refusal("boot.ready_timeout = 90ms")).isEqualTo("line 1: '90m' is not a whole number");
    }

    @Test
    void sizesAreTakenUpToOneTebibyteAndAZeroIsBelowTheMinimum() throws Exception {
        assertThat(Policy.parse("retention.max_file_size = 1024GiB").retention("boot").maxFileBytes())
                .isEqualTo(1L << 40);
        assertThat(Policy.parse("retention.max_file_size = 1073741824KiB").retention("boot").maxFileBytes())
                .isEqualTo(1L << 40);
        assertThat(refusal("retention.max_file_size = 1073741825KiB"))
                .isEqualTo("line 1: size '1073741825KiB' out of range");
        assertThat(refusal("retention.max_file_size = 1025GiB")).isEqualTo("line 1: size '1025GiB' out of range");
        assertThat(refusal("retention.max_file_size = -1")).isEqualTo("line 1: size '-1' out of range");
        assertThat(refusal("retention.max_file_size = 0")).startsWith("line 1: size '0' is below the minimum of ");
        assertThat(Policy.parse("ring.size = 256KiB").ringBytes()).as("exactly the minimum").isEqualTo(256 * 1024);
        assertThat(refusal("ring.size = 262143")).isEqualTo("line 1: size '262143' is below the minimum of 262144 bytes");
    }

    @Test
    void aSyncIntervalOfExactlyOneSecondIsTakenAndOneMillisecondMoreIsRefused() throws Exception {
        assertThat(Policy.parse("store.sync_interval = 1s").syncInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(Policy.parse("store.sync_interval = 1000ms").syncInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(Policy.parse("store.sync_interval = 1ms").syncInterval()).isEqualTo(Duration.ofMillis(1));
        assertThat(refusal("store.sync_interval = 1001ms"))
                .isEqualTo("line 1: store.sync_interval must be above 0 and at most 1s");
        assertThat(refusal("store.sync_interval = 0ms"))
                .isEqualTo("line 1: store.sync_interval must be above 0 and at most 1s");
    }

    @Test
    void bridgeEndpointsAndTargetsAreTakenAtPortsOneAndTheLast() throws Exception {
        BridgeSettings b = Policy.parse("syslog.socket = on\nsyslog.tcp = 127.0.0.1:1\nsyslog.udp = localhost:65535\n")
                .bridges();
        assertThat(b.syslogSocket()).isTrue();
        assertThat(b.syslogTcp()).contains(new BridgeSettings.Endpoint("127.0.0.1", 1));
        assertThat(b.syslogUdp()).contains(new BridgeSettings.Endpoint("localhost", 65535));
        assertThat(refusal("syslog.tcp = 127.0.0.1:0")).isEqualTo("line 1: port 0 is outside 1..65535");
        assertThat(refusal("syslog.tcp = 127.0.0.1:65536")).isEqualTo("line 1: port 65536 is outside 1..65535");
        assertThat(BridgeSettings.parseForwardTarget("tcp://logs.example:1")).isEqualTo(URI.create("tcp://logs.example:1"));
        assertThat(BridgeSettings.parseForwardTarget("tcp://logs.example:65535"))
                .isEqualTo(URI.create("tcp://logs.example:65535"));
        for (String bad : new String[] {"tcp://logs.example:0", "tcp://logs.example:65536", "tcp://logs.example:514/x",
                "tcp://logs.example:514?q", "tcp://u@logs.example:514", "tcp://logs.example"}) {
            assertThatThrownBy(() -> BridgeSettings.parseForwardTarget(bad)).as(bad).isInstanceOf(PolicyException.class)
                    .hasMessage("line 0: '" + bad + "' is not tcp://HOST:PORT or tls://HOST:PORT");
        }
    }

    @Test
    void aTlsTargetCarriesItsCaFile() throws Exception {
        BridgeSettings b = Policy.parse("forward.target = tls://127.0.0.1:6514\nforward.ca_file = /etc/rayos/ca.pem\n")
                .bridges();
        assertThat(b.forwardTarget()).contains(URI.create("tls://127.0.0.1:6514"));
        assertThat(b.forwardCaFile()).contains("/etc/rayos/ca.pem");
    }

    @Test
    void theRootsPolicyFileIsLoadedAndOneThatCannotBeReadIsReportedWithTheDefaults() throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.policyFile().getParent());
        Files.writeString(layout.policyFile(), "boot.max_failures = 5\n");
        Policy.Loaded l = Policy.load(layout);
        assertThat(l.error()).isNull();
        assertThat(l.file()).isEqualTo(layout.policyFile());
        assertThat(l.policy().boot()).isEqualTo(new Policy.Boot(5, Policy.DEFAULTS.boot().readyTimeout()));
        Files.delete(layout.policyFile());
        Files.createDirectory(layout.policyFile()); // a directory in the file's place
        Policy.Loaded d = Policy.load(layout);
        assertThat(d.policy()).isSameAs(Policy.DEFAULTS);
        assertThat(d.error()).hasMessage("line 0: cannot read: is a directory");
    }
}
