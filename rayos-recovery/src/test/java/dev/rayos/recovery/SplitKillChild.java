package dev.rayos.recovery;

import dev.rayos.log.root.RootLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code rayos repair}'s logs check in a child JVM that stops at the {@code k}-th step of a split
 * (a chunk copied, a part written, the source cut, a part named, a file renamed, a stopped split
 * resumed): it prints {@code AT k <step>} and waits to be killed. Args: root, k (0 = never stop).
 */
public final class SplitKillChild {
    private SplitKillChild() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int stopAt = Integer.parseInt(args[1]);
        int[] n = {0};
        LogSplit.Points points = what -> {
            if (++n[0] == stopAt) {
                KilledChild.stopHere(n[0], what);
            }
        };
        Repair.run(new RootLayout(root), new Repair.Options(false, false, null), List.of(new LogFilesCheck(points)));
        KilledChild.done(n[0]);
    }
}
