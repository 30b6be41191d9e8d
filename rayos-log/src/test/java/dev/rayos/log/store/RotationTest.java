package dev.rayos.log.store;

import dev.rayos.log.root.LogFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.ChildJvm;
import dev.rayos.log.Lines;
import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.root.BootId;
import dev.rayos.log.child.LineWriter;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotationTest {
    @TempDir
    Path root;

    private static void assertEveryLineOnceInOrder(List<LogLine> lines, String who, int writers, int perWriter,
                                                   boolean suffixOnly) {
        long[] last = new long[writers];
        long[] first = new long[writers];
        for (LogLine l : lines) {
            if (l.get(who) == null) {
                continue;
            }
            int w = Integer.parseInt(l.get(who));
            long n = Long.parseLong(l.get("n"));
            if (first[w] == 0) {
                first[w] = n;
                if (!suffixOnly) {
                    assertThat(n).as("first line of %s %d", who, w).isEqualTo(1);
                }
            } else {
                assertThat(n).as("line after %d of %s %d", last[w], who, w).isEqualTo(last[w] + 1);
            }
            last[w] = n;
        }
        for (int w = 0; w < writers; w++) {
            assertThat(last[w]).as("last line of %s %d", who, w).isEqualTo(perWriter);
        }
    }

    @Test
    void fourThreadsRotatingEveryLineIsAccountedForAndEveryFileHoldsTheCap() throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        Policy p = Policy.parse("retention.max_files = 1000\nretention.max_file_size = 128KiB\nring.size = 256KiB\n");
        int threads = 4;
        int perThread = 25_000;
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).policy(p).console(OutputStream.nullOutputStream()).open()) {
            Logger log = sys.logger("rot");
            ExecutorService ex = Executors.newFixedThreadPool(threads);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ex.submit(() -> {
                    try {
                        for (int n = 1; n <= perThread; n++) {
                            log.info("LINE").kv("t", id).kv("n", n).kv("text", "rotate me please").log();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            ex.shutdown();
            assertThat(ex.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
            assertThat(failure.get()).isNull();
        }
        List<LogFiles.Segment> segs = LogFiles.segments(layout.categoryDir("boot"));
        assertThat(segs.size()).isGreaterThan(10);
        assertThat(segs).allSatisfy(s -> assertThat(s.size()).isLessThanOrEqualTo(128 * 1024));
        List<LogLine> lines = Lines.of(layout, "boot", boot);
        assertThat(lines.stream().filter(l -> l.component().equals("rot")).count()).isEqualTo((long) threads * perThread);
        assertEveryLineOnceInOrder(lines, "t", threads, perThread, false);
    }

    @Test
    void retentionKeepsTheNewestFilesAndTheirLinesStayWhole() throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        Policy p = Policy.parse("retention.max_files = 3\nretention.max_file_size = 128KiB\n");
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).policy(p).console(OutputStream.nullOutputStream()).open()) {
            Logger log = sys.logger("rot");
            for (int n = 1; n <= 30_000; n++) {
                log.info("LINE").kv("t", 0).kv("n", n).log();
            }
        }
        List<LogFiles.Segment> segs = LogFiles.segments(layout.categoryDir("boot"));
        assertThat(segs).hasSize(3).allSatisfy(s -> assertThat(s.size()).isLessThanOrEqualTo(128 * 1024));
        assertEveryLineOnceInOrder(Lines.of(layout, "boot", boot), "t", 1, 30_000, true);
    }

    @Test
    void threeProcessesLoggingIntoOneBootNeitherLoseNorInterleaveLines() throws Exception {
        RootLayout layout = new RootLayout(root);
        BootId boot = BootId.random();
        Files.createDirectories(layout.policyFile().getParent());
        Files.writeString(layout.policyFile(), "retention.max_files = 1000\nretention.max_file_size = 128KiB\n"
                + "console.device = /dev/null\n");
        int procs = 3;
        int perProc = 20_000;
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < procs; i++) {
            ps.add(ChildJvm.start(LineWriter.class, root.toString(), boot.hex(), String.valueOf(i),
                    String.valueOf(perProc)));
        }
        for (Process p : ps) {
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        List<LogLine> lines = Lines.of(layout, "boot", boot); // every line parses: none interleaved
        assertThat(lines).hasSize(procs * perProc);
        assertEveryLineOnceInOrder(lines, "p", procs, perProc, false);
        assertThat(LogFiles.segments(layout.categoryDir("boot")))
                .allSatisfy(s -> assertThat(s.size()).isLessThanOrEqualTo(128 * 1024));
    }
}
