package dev.rayos.log.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BridgeSettingsTest {
    @Test
    void bridgeSettingsAreReadAndTheirCategoriesKnown() throws Exception {
        Policy p = Policy.parse("syslog.socket = off\nsyslog.tcp = 127.0.0.1:5514\nsyslog.udp = [::1]:514\n"
                + "syslog.facility.auth = auth\nslf4j.component.com.zaxxer.hikari = db\n"
                + "forward.target = tls://collector.example:6514\nforward.ca_file = etc/rayos/ca.pem\n");
        BridgeSettings b = p.bridges();
        assertThat(b.syslogSocket()).isFalse();
        assertThat(b.syslogTcp()).contains(new BridgeSettings.Endpoint("127.0.0.1", 5514));
        assertThat(b.syslogUdp()).contains(new BridgeSettings.Endpoint("[::1]", 514));
        assertThat(b.facilityCategory("auth")).contains("auth");
        assertThat(b.slf4jComponents()).containsEntry("com.zaxxer.hikari", "db");
        assertThat(b.forwardTarget().get().getPort()).isEqualTo(6514);
        assertThat(p.categories()).contains("auth");
        assertThat(Policy.DEFAULTS.bridges().syslogSocket()).isTrue();
    }

    @Test
    void badBridgeSettingsNameTheirLine() {
        assertThatThrownBy(() -> Policy.parse("syslog.tcp = 10.0.0.1:514\n")).hasMessageContaining("line 1: ")
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> Policy.parse("\nsyslog.facility.nosuch = x\n")).hasMessageContaining("line 2: ");
        assertThatThrownBy(() -> Policy.parse("syslog.facility.auth = ../etc\n")).hasMessageContaining("category");
        assertThatThrownBy(() -> Policy.parse("slf4j.component.com.x = Bad\n")).hasMessageContaining("component");
        assertThatThrownBy(() -> Policy.parse("forward.target = http://x:1\n")).hasMessageContaining("tcp://");
        assertThatThrownBy(() -> Policy.parse("forward.target = tls://x:1\n")).hasMessageContaining("ca_file");
        assertThatThrownBy(() -> Policy.parse("syslog.sockett = on\n")).hasMessageContaining("unknown setting");
    }
}
