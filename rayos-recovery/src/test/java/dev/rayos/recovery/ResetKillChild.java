package dev.rayos.recovery;

import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A factory reset in a child JVM that stops at its {@code k}-th progress point (a step starting, a
 * step done, an entry removed): it prints {@code AT k <point>} and waits to be killed.
 * Args: root, mode id, k (0 = never stop; -1 = at the last step's end, just before the journal goes).
 */
public final class ResetKillChild {
    private ResetKillChild() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        FactoryReset.Mode mode = FactoryReset.Mode.byId(args[1]);
        int stopAt = Integer.parseInt(args[2]);
        int[] n = {0};
        FactoryReset.Progress p = new FactoryReset.Progress() {
            void point(String what) throws IOException {
                if (++n[0] == stopAt || (stopAt == -1 && what.equals("after preserve-reset-log"))) {
                    KilledChild.stopHere(n[0], what);
                }
            }

            @Override
            public void stepStarting(String step) throws IOException {
                point("before " + step);
            }

            @Override
            public void stepDone(String step) throws IOException {
                point("after " + step);
            }

            @Override
            public void removed(Path relative) throws IOException {
                point("removed " + relative);
            }
        };
        new FactoryReset(new RootLayout(root), List.of(), p).run(mode, FactoryReset.standardSteps(mode));
        KilledChild.done(n[0]);
    }
}
