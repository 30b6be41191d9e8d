package dev.rayos.bench;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.policy.PolicyException;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * rayos-log as a component uses it: one {@link LogSystem} on a fresh root, the serial console sink
 * (always on) pointed at {@code /dev/null}, the ring in {@code run/rayos/ring/} under the root
 * (disk-backed) or, for {@code rayos_shm}, in {@code /dev/shm} (tmpfs). {@code rayos_ring64m} has a
 * 64 MiB ring instead of the default 4 MiB (policy {@code ring.size}), to show how much of the time the
 * producers wait for a drainer held up in fsync.
 */
final class RayosContender implements Contender {
    private final boolean ringOnTmpfs;
    private final String extraPolicy;
    private LogSystem sys;
    private Logger kernel;
    private RootLayout layout;
    private BootId boot;
    private Path shmRing;
    private final dev.rayos.log.line.Level level;

    RayosContender(boolean ringOnTmpfs, String extraPolicy) {
        this(ringOnTmpfs, extraPolicy, false);
    }

    /** {@code errors}: every line at ERROR (the storm), so each is fsync'd before its call returns. */
    RayosContender(boolean ringOnTmpfs, String extraPolicy, boolean errors) {
        this.ringOnTmpfs = ringOnTmpfs;
        this.extraPolicy = extraPolicy;
        this.level = errors ? dev.rayos.log.line.Level.ERROR : dev.rayos.log.line.Level.INFO;
    }

    @Override
    public void open(Path dir, long maxFileBytes, int maxFiles) throws IOException {
        layout = new RootLayout(dir);
        boot = BootId.random();
        Policy policy;
        try {
            policy = Policy.parse("console.device = /dev/null\n"
                + "retention.max_files = " + maxFiles + "\n"
                    + "retention.max_file_size = " + maxFileBytes + "\n" + extraPolicy);
        } catch (PolicyException e) {
            throw new IllegalStateException(e);
        }
        LogSystem.Builder b = LogSystem.builder(layout).boot(boot).policy(policy);
        if (ringOnTmpfs) {
            shmRing = Path.of("/dev/shm", "rayos-bench-" + ProcessHandle.current().pid() + "-" + boot.hex() + ".ring");
            b.ring(shmRing);
        }
        sys = b.open();
        kernel = sys.logger(BenchLine.COMPONENT);
    }

    @Override
    public Producer producer(int thread) {
        Logger k = kernel;
        String[][] fixed = BenchLine.FIXED;
        dev.rayos.log.line.Level lv = level;
        return n -> k.at(lv, BenchLine.EVENT).kv("t", thread).kv("n", n)
                .kv(fixed[0][0], fixed[0][1]).kv(fixed[1][0], fixed[1][1]).kv(fixed[2][0], fixed[2][1])
                .kv(fixed[3][0], fixed[3][1]).kv(fixed[4][0], fixed[4][1]).kv(fixed[5][0], fixed[5][1])
                .kv(fixed[6][0], fixed[6][1]).log();
    }

    @Override
    public void close() throws IOException {
        sys.close();
        if (shmRing != null) {
            Files.deleteIfExists(shmRing);
        }
    }

    @Override
    public List<Path> files() throws IOException {
        List<LogFiles.Segment> segs = new ArrayList<>(LogFiles.segments(layout.categoryDir("boot")));
        // <boot>.1.log is the oldest, the active <boot>.log (number 0) the newest.
        segs.sort(Comparator.comparingInt(s -> s.number() == 0 ? Integer.MAX_VALUE : s.number()));
        List<Path> out = new ArrayList<>();
        for (LogFiles.Segment s : segs) {
            out.add(s.path());
        }
        return out;
    }
}
