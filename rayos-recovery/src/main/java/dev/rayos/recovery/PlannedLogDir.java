package dev.rayos.recovery;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.store.CategoryFile;
import dev.rayos.log.root.LogFileName;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A dry run's model of a category directory ({@link LogDir#planned}): each log file as its name,
 * size, time and where its bytes are ({@code backing} from {@code offset}), changed as the real run
 * would change the files; it reads the real bytes for line boundaries and never writes.
 */
final class PlannedLogDir extends LogDir {
    /** One planned file: its bytes are {@code size} bytes of {@code backing} from {@code offset}. */
    private record File(LogFileName name, long size, long modified, Path backing, long offset) {
        File sized(long s) {
            return new File(name, s, modified, backing, offset);
        }
    }

    private final Map<String, File> files = new TreeMap<>();
    private final Set<String> retired = new HashSet<>();

    PlannedLogDir(Path dir) throws IOException {
        super(dir);
        for (LogFiles.Segment s : LogFiles.segments(dir)) {
            LogFileName n = new LogFileName(s.boot(), s.number());
            files.put(n.fileName(), new File(n, s.size(), s.modified(), s.path(), 0));
        }
    }

    @Override
    boolean model() {
        return true;
    }

    @Override
    List<LogFiles.Segment> segments() {
        List<LogFiles.Segment> out = new ArrayList<>();
        for (File f : files.values()) {
            out.add(new LogFiles.Segment(dir.resolve(f.name().fileName()), f.name().boot(), f.name().number(),
                    f.modified(), f.size()));
        }
        return out;
    }

    private File file(LogFiles.Segment s) throws IOException {
        File f = files.get(s.path().getFileName().toString());
        if (f == null) {
            throw new IOException(s.path().getFileName() + " is not there");
        }
        return f;
    }

    @Override
    List<Long> starts(LogFiles.Segment s, long cap) throws IOException {
        File f = file(s);
        try (FileChannel ch = FileChannel.open(f.backing(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return LogSplit.starts(ch, f.offset(), f.offset() + f.size(), cap);
        }
    }

    @Override
    long tornKeep(LogFiles.Segment s) throws IOException {
        File f = file(s);
        try (FileChannel ch = FileChannel.open(f.backing(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return LogDir.tornKeep(ch, f.offset(), f.size());
        }
    }

    @Override
    void cut(LogFiles.Segment s, long keep, RepairContext.Work keepCut) throws IOException {
        File f = file(s);
        files.put(f.name().fileName(), f.sized(keep));
    }

    @Override
    void rename(LogFileName from, LogFileName to) throws IOException {
        if (files.containsKey(to.fileName())) {
            throw new FileAlreadyExistsException(to + " exists");
        }
        File f = files.remove(from.fileName());
        if (f == null) {
            throw new IOException(from + " is not there");
        }
        files.put(to.fileName(), new File(to, f.size(), f.modified(), f.backing(), f.offset()));
    }

    @Override
    void split(LogFileName source, long cap) throws IOException {
        File f = files.get(source.fileName());
        if (f == null) {
            throw new IOException(source + " is not there");
        }
        List<Long> starts;
        try (FileChannel ch = FileChannel.open(f.backing(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            starts = LogSplit.starts(ch, f.offset(), f.offset() + f.size(), cap);
        }
        long end = f.size();
        for (int i = starts.size() - 1; i >= 1; i--) { // as the split: the last part first
            LogFileName part = source.part(source.number() + i);
            if (files.containsKey(part.fileName())) {
                throw new FileAlreadyExistsException(part + " exists");
            }
            long at = starts.get(i);
            files.put(part.fileName(), new File(part, end - at, f.modified(), f.backing(), f.offset() + at));
            end = at;
        }
        files.put(source.fileName(), f.sized(end));
    }

    @Override
    void delete(LogFiles.Segment s) {
        files.remove(s.path().getFileName().toString());
    }

    @Override
    void resume(LogSplit.Pending p) throws IOException {
        Path tmp = dir.resolve(LogSplit.pendingName(p.part(), p.source(), p.offset()));
        File source = files.get(p.source().fileName());
        long size = source == null ? -1 : source.size();
        if (size > p.offset()) {
            return; // the temporary is deleted; its lines are still in the source
        }
        if (size < p.offset()) {
            throw new IOException(size < 0 ? p.source() + " is gone" : p.source() + " is shorter than the cut at "
                    + p.offset());
        }
        if (files.containsKey(p.part().fileName())) {
            throw new FileAlreadyExistsException(p.part() + " exists");
        }
        long time = Files.getLastModifiedTime(tmp, LinkOption.NOFOLLOW_LINKS).toMillis();
        files.put(p.part().fileName(), new File(p.part(), Files.size(tmp), time, tmp, 0));
        files.put(source.name().fileName(), new File(source.name(), source.size(), time, source.backing(),
                source.offset()));
    }

    @Override
    void at(String what) {
        // nothing happened
    }

    @Override
    void written(String boot, int maxFiles) {
        LogFileName active = new LogFileName(boot, 0);
        File f = files.get(active.fileName());
        long now = System.currentTimeMillis();
        files.put(active.fileName(), f == null ? new File(active, 0, now, dir.resolve(active.fileName()), 0)
                : new File(active, f.size(), now, f.backing(), f.offset()));
        for (LogFiles.Segment s : CategoryFile.overCap(segments(), maxFiles, dir.resolve(active.fileName()))) {
            delete(s);
            retired.add(s.path().getFileName().toString());
        }
    }

    @Override
    boolean goneByNow(Path file) {
        return retired.contains(file.getFileName().toString());
    }
}
