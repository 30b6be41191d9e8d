package dev.rayos.bench;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Logback as ../shared/notes/competitor-configs.md says to set it up: AsyncAppender (queue 262144,
 * discardingThreshold 0, neverBlock false, maxFlushTime 0 = wait for the whole queue at stop) over
 * RollingFileAppender ({@code immediateFlush=false}, 256 KiB buffer) with FixedWindowRollingPolicy
 * 1..maxFiles (1 = newest) and SizeBasedTriggeringPolicy checking the size every millisecond.
 */
final class LogbackContender implements Contender {
    private LoggerContext ctx;
    private Logger kernel;
    private Path dir;

    @Override
    public void open(Path dir, long maxFileBytes, int maxFiles) {
        this.dir = dir;
        ctx = new LoggerContext();
        ctx.setName("bench");
        ctx.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's provider would set; appending fails without it
        ctx.start();

        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(BenchLine.LOGBACK_PATTERN);
        enc.start();

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(ctx);
        file.setName("file");
        file.setFile(dir.resolve("app.log").toString());
        file.setEncoder(enc);
        file.setImmediateFlush(false);
        file.setBufferSize(new FileSize(256 * 1024));

        FixedWindowRollingPolicy roll = new FixedWindowRollingPolicy();
        roll.setContext(ctx);
        roll.setParent(file);
        roll.setFileNamePattern(dir.resolve("app.%i.log").toString());
        roll.setMinIndex(1);
        roll.setMaxIndex(maxFiles);
        roll.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trig = new SizeBasedTriggeringPolicy<>();
        trig.setContext(ctx);
        trig.setMaxFileSize(new FileSize(maxFileBytes));
        trig.setCheckIncrement(Duration.buildByMilliseconds(1));
        trig.start();

        file.setRollingPolicy(roll);
        file.setTriggeringPolicy(trig);
        file.start();

        AsyncAppender async = new AsyncAppender();
        async.setContext(ctx);
        async.setName("async");
        async.setQueueSize(262144);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false);
        async.setMaxFlushTime(0);
        async.addAppender(file);
        async.start();

        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(async);
        kernel = ctx.getLogger(BenchLine.COMPONENT);
        if (!file.isStarted() || !async.isStarted()) { // errors show at the check: nothing arrives
            throw new IllegalStateException("Logback appenders did not start: " + ctx.getStatusManager().getCopyOfStatusList());
        }
    }

    @Override
    public Producer producer(int thread) {
        Logger k = kernel;
        String template = BenchLine.TEMPLATE;
        return n -> k.info(template, thread, n);
    }

    @Override
    public void close() {
        ctx.stop(); // stops the AsyncAppender (joins its worker: maxFlushTime 0), then the file appender
    }

    @Override
    public List<Path> files() throws IOException {
        return FileOrder.list(dir, "app.log", "app.", false);
    }
}
