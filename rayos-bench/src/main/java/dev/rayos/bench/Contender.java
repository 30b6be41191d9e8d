package dev.rayos.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One logging stack under test, writing {@link BenchLine}s into size-rotated files in a directory
 * of its own. The life of one measurement: {@link #open}, {@link #producer} per thread, lines,
 * {@link Producer#finish} per thread, {@link #close} (returns once every line is in the files),
 * then {@link #files} for the check.
 */
public interface Contender {
    /** Writes one thread's lines. Used by that thread only. */
    interface Producer {
        void log(long n);

        /** The thread is done (the raw bound writes its partial batch here). */
        default void finish() throws IOException {}
    }

    /** Starts writing under {@code dir}: files of {@code maxFileBytes}, at most {@code maxFiles} of them. */
    void open(Path dir, long maxFileBytes, int maxFiles) throws IOException;

    Producer producer(int thread);

    /** Stops the stack; returns once every line logged is in its file. */
    void close() throws IOException;

    /** The files written, oldest first. */
    List<Path> files() throws IOException;

    /** The contender of a name: rayos, rayos_shm, rayos_ring64m, log4j2, log4j2_fsync, logback, raw, raw_fsync. */
    static Contender of(String name) {
        return of(name, "INFO");
    }

    /**
     * The contender of a name logging every line at {@code level}: INFO, or ERROR for the storm, which
     * only the contenders that keep RayOS's promise for ERROR (in the file and fsync'd when the call
     * returns) take: rayos and log4j2_fsync.
     */
    static Contender of(String name, String level) {
        BenchLine.headBytes(level); // a known level
        if (level.equals("ERROR")) {
            switch (name) {
                case "rayos":
                    return new RayosContender(false, "", true);
                case "log4j2_fsync":
                    return new Log4j2FsyncContender(level);
                default:
                    throw new IllegalArgumentException(name + " does not fsync each ERROR line before the call"
                            + " returns: the ERROR storm is for rayos and log4j2_fsync");
            }
        }
        switch (name) {
            case "log4j2_fsync":
                return new Log4j2FsyncContender(level);
            case "rayos":
                return new RayosContender(false, "");
            case "rayos_shm":
                return new RayosContender(true, "");
            case "rayos_ring64m":
                return new RayosContender(false, "ring.size = 64MiB\n");
            case "log4j2":
                return new Log4j2Contender();
            case "logback":
                return new LogbackContender();
            case "raw":
                return new RawContender(false);
            case "raw_fsync":
                return new RawContender(true);
            default:
                throw new IllegalArgumentException("unknown contender " + name);
        }
    }
}
