package dev.rayos.log.read;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the reads of one reader read, counted by the scanning threads: see {@link LogReader.Counts}. */
final class ReadTally {
    private final Set<Path> files = ConcurrentHashMap.newKeySet();
    private final AtomicLong chunksRead = new AtomicLong();
    private final AtomicLong chunksSkipped = new AtomicLong();

    void chunkRead(Path file) {
        chunksRead.incrementAndGet();
        files.add(file);
    }

    void chunkSkipped() {
        chunksSkipped.incrementAndGet();
    }

    LogReader.Counts counts() {
        return new LogReader.Counts(files.size(), chunksRead.get(), chunksSkipped.get());
    }

    /** The files a chunk of which was read. */
    Set<Path> files() {
        return Set.copyOf(files);
    }
}
