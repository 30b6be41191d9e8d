package dev.rayos.bench;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import dev.rayos.slf4j.RayosSlf4j;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One SLF4J call ({@code log.info("order {} placed for {} items", n, 3)}, to a file) through each
 * provider, one fork each, chosen with {@code -Dslf4j.provider} before SLF4J starts:
 * rayos-slf4j (ring, drainer, file; console to /dev/null), slf4j-simple (its PrintStream to a
 * file), Log4j2's SLF4J binding and Logback (each a FileAppender, buffered, no flush per line).
 *
 * <p>{@code java -jar rayos-bench/target/benchmarks.jar Slf4jProviders}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class Slf4jProviders {
    @Param({"rayos", "simple", "log4j2", "logback"})
    public String provider;

    private Path dir;
    private LogSystem rayos;
    private org.slf4j.Logger log;
    private long n;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("slf4j-bench");
        Path file = dir.resolve("app.log");
        switch (provider) {
            case "rayos":
                System.setProperty("slf4j.provider", "dev.rayos.slf4j.RayosServiceProvider");
                rayos = LogSystem.builder(new RootLayout(dir)).boot(BootId.random())
                        .policy(Policy.parse("console.device = /dev/null\nretention.max_file_size = 1GiB\n")).open();
                RayosSlf4j.use(rayos);
                break;
            case "simple":
                System.setProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
                System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
                System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
                break;
            case "log4j2":
                System.setProperty("slf4j.provider", "org.apache.logging.slf4j.SLF4JServiceProvider");
                Path cfg = dir.resolve("log4j2.xml");
                Files.writeString(cfg, "<Configuration status=\"warn\"><Appenders>"
                        + "<File name=\"f\" fileName=\"" + file + "\" bufferedIO=\"true\" immediateFlush=\"false\">"
                        + "<PatternLayout pattern=\"%d{ISO8601} %p %c{1} %m%n\"/></File></Appenders>"
                        + "<Loggers><Root level=\"info\"><AppenderRef ref=\"f\"/></Root></Loggers></Configuration>",
                        StandardCharsets.UTF_8);
                System.setProperty("log4j2.configurationFile", cfg.toString());
                break;
            case "logback":
                System.setProperty("slf4j.provider", "ch.qos.logback.classic.spi.LogbackServiceProvider");
                Path lcfg = dir.resolve("logback.xml");
                Files.writeString(lcfg, "<configuration><appender name=\"f\" class=\"ch.qos.logback.core.FileAppender\">"
                        + "<file>" + file + "</file><immediateFlush>false</immediateFlush>"
                        + "<encoder><pattern>%d{ISO8601} %level %logger{0} %msg%n</pattern></encoder></appender>"
                        + "<root level=\"info\"><appender-ref ref=\"f\"/></root></configuration>", StandardCharsets.UTF_8);
                System.setProperty("logback.configurationFile", lcfg.toString());
                break;
            default:
                throw new IllegalArgumentException(provider);
        }
        log = org.slf4j.LoggerFactory.getLogger("com.example.shop.OrderService");
        String expected = provider.equals("rayos") ? "RayosLoggerFactory" : "";
        if (!org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName().contains(expected)) {
            throw new IllegalStateException("SLF4J picked " + org.slf4j.LoggerFactory.getILoggerFactory());
        }
    }

    @Benchmark
    public void info(Blackhole bh) {
        log.info("order {} placed for {} items", n++, 3);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (rayos != null) {
            rayos.close();
        }
    }
}
