package dev.rayos.slf4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.root.LogFileName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

class Slf4jProviderTest {
    @TempDir
    Path root;

    LogSystem open(String policy) throws Exception {
        LogSystem sys = LogSystem.builder(new RootLayout(root)).boot(BootId.random()).policy(Policy.parse(policy))
                .console(new ByteArrayOutputStream()).open();
        RayosSlf4j.use(sys);
        return sys;
    }

    List<LogLine> lines(String component) throws Exception {
        List<LogLine> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root.resolve("var/rayos/logs"))) {
            // log files only: a category directory also holds its lock file (.lock)
            for (Path f : s.filter(Files::isRegularFile)
                    .filter(p -> LogFileName.parse(p.getFileName().toString()).isPresent()).sorted().toList()) {
                for (String l : Files.readString(f, StandardCharsets.UTF_8).split("\n")) {
                    if (!l.isEmpty()) {
                        LogLine p = LineCodec.parse(l);
                        if (p.component().equals(component)) {
                            out.add(p);
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void slf4jFindsTheRayosProvider() {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(RayosLoggerFactory.class);
    }

    @Test
    void everySlf4jCallBecomesOneRayosLineWithItsFields() throws Exception {
        try (LogSystem sys = open("slf4j.component.com.example.billing = billing\n")) {
            Logger orders = LoggerFactory.getLogger("com.example.shop.OrderService");
            Logger invoices = LoggerFactory.getLogger("com.example.billing.InvoiceWriter");
            MDC.put("request", "r-17");
            orders.info("order {} placed for {} items", 42, 3);
            MDC.clear();
            orders.atWarn().addKeyValue("order", 42).addKeyValue("Retry Count", 2).log("payment slow");
            orders.info(MarkerFactory.getMarker("ORDER_SHIPPED"), "shipped");
            orders.info(MarkerFactory.getMarker("not an event"), "odd marker");
            orders.debug("literal \\{} and {}", "arg");
            invoices.error("cannot write invoice", new IllegalStateException("disk full\nsecond line"));
            orders.trace("fine detail");
        }
        List<LogLine> o = lines("orderservice");
        assertThat(o).hasSize(6);
        assertThat(o.get(0).toString()).endsWith(" INFO orderservice LOG request=r-17 msg=\"order 42 placed for 3 items\"");
        assertThat(o.get(1).toString()).endsWith(" WARN orderservice LOG order=42 retry_count=2 msg=\"payment slow\"");
        assertThat(o.get(2).event()).isEqualTo("ORDER_SHIPPED");
        assertThat(o.get(3).event()).isEqualTo("LOG");
        assertThat(o.get(3).get("marker")).isEqualTo("not an event");
        assertThat(o.get(4).get("msg")).isEqualTo("literal {} and arg");
        assertThat(o.get(5).level().name()).isEqualTo("TRACE");
        List<LogLine> inv = lines("billing");
        assertThat(inv).hasSize(1);
        assertThat(inv.get(0).level().name()).isEqualTo("ERROR");
        assertThat(inv.get(0).get("stack")).startsWith("java.lang.IllegalStateException: disk full\nsecond line\n\tat ");
    }

    @Test
    void aRealLibraryLoggingThroughSlf4jLandsInTheMachinesLog() throws Exception {
        try (LogSystem sys = open("slf4j.component.com.zaxxer.hikari = hikari\n")) {
            HikariConfig cfg = new HikariConfig();
            cfg.setJdbcUrl("jdbc:sqlite:" + root.resolve("app.db"));
            cfg.setPoolName("orders-db");
            cfg.setMaximumPoolSize(1);
            try (HikariDataSource ds = new HikariDataSource(cfg); Connection c = ds.getConnection()) {
                c.createStatement().execute("create table t(x int)");
            }
        }
        List<String> msgs = lines("hikari").stream().map(l -> l.get("msg")).toList();
        assertThat(msgs).contains("orders-db - Starting...", "orders-db - Start completed.",
                "orders-db - Shutdown initiated...", "orders-db - Shutdown completed.");
    }
}
