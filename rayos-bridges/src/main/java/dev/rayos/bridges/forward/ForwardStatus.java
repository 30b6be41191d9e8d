package dev.rayos.bridges.forward;

import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RemovedFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where the forwarder stands in each category, for {@code rayos forward --status}: read only. */
public record ForwardStatus(String category, long seq, String file, long offset, long behind, String damage) {
    /**
     * One row per category with log files.
     *
     * @param file the file the cursor is in, relative to the root; "-" when nothing was sent
     * @param behind bytes in the files not yet sent (files removed unsent are not counted)
     * @param damage why the cursor cannot be read, or null
     */
    public static List<ForwardStatus> of(RootLayout layout) throws IOException {
        Map<String, Integer> order = CategoryStream.bootOrder(layout);
        CursorStore store = new CursorStore(layout);
        List<ForwardStatus> out = new ArrayList<>();
        for (Path dir : BootCatalog.categoryDirs(layout)) {
            String category = dir.getFileName().toString();
            List<RemovedFiles.Entry> removed = RemovedFiles.read(layout, category).entries();
            List<CategoryStream.Seg> segs = CategoryStream.list(dir, order, removed);
            Optional<ForwardCursor> c;
            try {
                c = store.read(category);
            } catch (CursorException e) {
                out.add(new ForwardStatus(category, -1, "-", 0, -1, e.getMessage()));
                continue;
            }
            ForwardCursor cur = c.orElse(ForwardCursor.fresh("0000000000000000"));
            CategoryStream.Position p = CategoryStream.locate(segs, cur, order, removed);
            long behind = 0;
            for (int i = p.index(); i < segs.size(); i++) {
                behind += segs.get(i).size();
            }
            behind -= p.offset();
            String file = p.index() < segs.size() && cur.started() ? layout.relative(segs.get(p.index()).path()) : "-";
            out.add(new ForwardStatus(category, cur.seq(), file, p.offset(), behind, null));
        }
        return out;
    }
}
