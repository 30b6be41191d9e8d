package dev.rayos.log;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.BootId;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.root.RootLayout;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads back a boot's files of one category, oldest segment first, parsing every line. */
public final class Lines {
    private Lines() {}

    public static List<LogLine> of(RootLayout layout, String category, BootId boot) throws Exception {
        List<LogFiles.Segment> segs = new ArrayList<>(LogFiles.segments(layout.categoryDir(category)));
        segs.removeIf(s -> !s.boot().equals(boot.hex()));
        segs.sort(Comparator.comparing(LogFiles.Segment::order));
        List<LogLine> out = new ArrayList<>();
        for (LogFiles.Segment s : segs) {
            for (String l : Files.readAllLines(s.path())) {
                out.add(LineCodec.parse(l));
            }
        }
        return out;
    }
}
