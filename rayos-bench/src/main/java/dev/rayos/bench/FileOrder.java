package dev.rayos.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Lists a contender's rotated files oldest first from the index in their names. */
final class FileOrder {
    private FileOrder() {}

    /**
     * The files {@code base + index + ".log"} of {@code dir} and the active {@code active}.
     *
     * @param higherIsNewer true when rotation gives newer files higher indices (Log4j2's
     *                      {@code fileIndex=max}, the raw bound); false when 1 is the newest (Logback's
     *                      fixed window)
     */
    static List<Path> list(Path dir, String active, String base, boolean higherIsNewer) throws IOException {
        Pattern p = Pattern.compile(Pattern.quote(base) + "([0-9]+)\\.log");
        List<long[]> indexed = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        Path activePath = null;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                String name = f.getFileName().toString();
                Matcher m = p.matcher(name);
                if (m.matches()) {
                    indexed.add(new long[] {Long.parseLong(m.group(1)), paths.size()});
                    paths.add(f);
                } else if (name.equals(active)) {
                    activePath = f;
                } else {
                    throw new IllegalStateException("unexpected file " + f);
                }
            }
        }
        indexed.sort((a, b) -> higherIsNewer ? Long.compare(a[0], b[0]) : Long.compare(b[0], a[0]));
        List<Path> out = new ArrayList<>();
        for (long[] e : indexed) {
            out.add(paths.get((int) e[1]));
        }
        if (activePath != null) {
            out.add(activePath);
        }
        return out;
    }
}
