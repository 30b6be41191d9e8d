package dev.rayos.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.util.Unbox;

/**
 * Log4j2 all-async, as ../shared/notes/competitor-configs.md says to set it up: an
 * {@link AsyncLoggerContext} (what {@code AsyncLoggerContextSelector} makes; one per measurement so
 * each gets a fresh directory), Disruptor 3.4.4, RollingRandomAccessFile (256 KiB buffer, its
 * default) with {@code immediateFlush=false}, SizeBasedTriggeringPolicy and DefaultRolloverStrategy
 * ({@code fileIndex=max}: higher index = newer). The caller side uses Log4j2's garbage-free idiom
 * ({@link Unbox#box}) so it is not charged for boxing.
 */
final class Log4j2Contender implements Contender {
    private static int contexts;
    private AsyncLoggerContext ctx;
    private Logger kernel;
    private Path dir;

    @Override
    public void open(Path dir, long maxFileBytes, int maxFiles) throws IOException {
        this.dir = dir;
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("bench");
        b.setStatusLevel(Level.WARN);
        b.add(b.newAppender("file", "RollingRandomAccessFile")
                .addAttribute("fileName", dir.resolve("app.log").toString())
                .addAttribute("filePattern", dir.resolve("app-%i.log").toString())
                .addAttribute("immediateFlush", false)
                .add(b.newLayout("PatternLayout").addAttribute("pattern", BenchLine.LOG4J2_PATTERN))
                .addComponent(b.newComponent("Policies")
                        .addComponent(b.newComponent("SizeBasedTriggeringPolicy")
                                .addAttribute("size", String.valueOf(maxFileBytes))))
                .addComponent(b.newComponent("DefaultRolloverStrategy")
                        .addAttribute("max", maxFiles)
                        .addAttribute("fileIndex", "max")));
        b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("file")));
        Configuration cfg = b.build(false);
        ctx = new AsyncLoggerContext("bench-" + (++contexts));
        ctx.start(cfg);
        kernel = ctx.getLogger(BenchLine.COMPONENT);
        if (!(kernel instanceof org.apache.logging.log4j.core.async.AsyncLogger)) {
            throw new IllegalStateException("Log4j2 logger is not async: " + kernel.getClass());
        }
    }

    @Override
    public Producer producer(int thread) {
        Logger k = kernel;
        String template = BenchLine.TEMPLATE;
        return n -> k.info(template, Unbox.box(thread), Unbox.box(n));
    }

    @Override
    public void close() {
        LogManager.shutdown(ctx); // = ctx.stop(): drains the disruptor, flushes and closes the files
    }

    @Override
    public List<Path> files() throws IOException {
        return FileOrder.list(dir, "app.log", "app-", true);
    }
}
