package dev.rayos.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.util.Unbox;

/**
 * Log4j2 with RayOS's promise for ERROR lines: a line is in its file and fsync'd when the call
 * returns. A synchronous {@link LoggerContext} (an async logger returns before the write), a
 * {@code RandomAccessFile} appender with {@code immediateFlush=true} (the line reaches the file in
 * the call) and, after each call, {@code FileChannel.force(false)} (fdatasync, what rayos-log's syncer
 * calls) on the appender's file (through a channel of our own: Log4j2 does not expose its file, and
 * an fdatasync through any descriptor flushes the file). Producers fsync concurrently, so the kernel may merge their
 * flushes; nothing else is grouped.
 *
 * <p>No rotation: a line written to a file that another thread rotates away before this one's
 * force would be fsync'd nowhere. The storm is short (its lines fit one file), and {@link #close}
 * fails the run if a second file ever appeared.
 */
final class Log4j2FsyncContender implements Contender {
    private static int contexts;
    private LoggerContext ctx;
    private Logger kernel;
    /** The appender's file, opened again: fdatasync on any descriptor of a file flushes that file. */
    private FileChannel sync;
    private Path dir;
    private final Level level;

    Log4j2FsyncContender(String level) {
        this.level = Level.valueOf(level);
    }

    @Override
    public void open(Path dir, long maxFileBytes, int maxFiles) throws IOException {
        this.dir = dir;
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("bench-fsync");
        b.setStatusLevel(Level.WARN);
        b.add(b.newAppender("file", "RandomAccessFile")
                .addAttribute("fileName", dir.resolve("app.log").toString())
                .addAttribute("immediateFlush", true)
                .add(b.newLayout("PatternLayout").addAttribute("pattern", BenchLine.LOG4J2_PATTERN)));
        b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("file")));
        Configuration cfg = b.build(false);
        ctx = new LoggerContext("bench-fsync-" + (++contexts));
        ctx.start(cfg);
        kernel = ctx.getLogger(BenchLine.COMPONENT);
        sync = FileChannel.open(dir.resolve("app.log"), StandardOpenOption.WRITE);
    }

    @Override
    public Producer producer(int thread) {
        Logger k = kernel;
        Level lv = level;
        String template = BenchLine.TEMPLATE;
        return n -> {
            k.log(lv, template, Unbox.box(thread), Unbox.box(n));
            try {
                sync.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public void close() throws IOException {
        LogManager.shutdown(ctx);
        sync.close();
        if (files().size() != 1) {
            throw new IllegalStateException("log4j2_fsync must not rotate: " + files());
        }
    }

    @Override
    public List<Path> files() throws IOException {
        return FileOrder.list(dir, "app.log", "app-", true);
    }
}
