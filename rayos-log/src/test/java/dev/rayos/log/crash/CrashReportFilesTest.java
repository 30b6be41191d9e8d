package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashReportFilesTest {
    static final BootId BOOT = BootId.parse("0123456789abcdef0123456789abcdef");

    @TempDir
    Path root;

    private static CrashReport report(String reason) {
        return CrashReport.builder(BOOT, Timestamp.mono(1), CrashReport.Source.RAYOS, reason).build();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(java.util.stream.Collectors.toList());
        }
    }

    @Test
    void aSecondCrashOfTheSameBootGoesBesideTheFirstWithoutOverwritingIt() throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.crashPanicsDir());
        Path first = layout.crashReport(BOOT);

        Path a = CrashReportFiles.writeNew(report("first"), first);
        Path b = CrashReportFiles.writeNew(report("second"), first);
        Path c = CrashReportFiles.writeNew(report("third"), first);

        assertThat(a).isEqualTo(first);
        assertThat(b.getFileName()).hasToString(BOOT.hex() + ".2.log");
        assertThat(c.getFileName()).hasToString(BOOT.hex() + ".3.log");
        assertThat(CrashReportFiles.read(a).reason()).isEqualTo("first");
        assertThat(CrashReportFiles.read(b).reason()).isEqualTo("second");
        assertThat(CrashReportFiles.list(layout.crashPanicsDir())).containsExactly(a, b, c);
        assertThat(names(layout.crashPanicsDir())).noneMatch(n -> n.startsWith("."));
    }

    @Test
    void writingReplacesAtomicallyAndLeavesNoTemporaryFile() throws Exception {
        Path target = root.resolve(BOOT.hex() + ".log");

        CrashReportFiles.write(report("one"), target);
        CrashReportFiles.write(report("two"), target);

        assertThat(CrashReportFiles.read(target).reason()).isEqualTo("two");
        assertThat(names(root)).containsExactly(BOOT.hex() + ".log");
    }

    @Test
    void aMissingDirectoryFailsAndCreatesNothing() {
        Path target = new RootLayout(root).crashReport(BOOT);

        assertThatThrownBy(() -> CrashReportFiles.writeNew(report("x"), target)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> CrashReportFiles.write(report("x"), target)).isInstanceOf(NoSuchFileException.class);
        assertThat(root.resolve("var")).doesNotExist();
    }

    @Test
    void aBootWithTheMostReportsKeptRefusesMoreAndKeepsThemAll() throws Exception {
        Path first = root.resolve(BOOT.hex() + ".log");
        for (int i = 0; i < CrashReportFiles.MAX_PER_BOOT; i++) {
            CrashReportFiles.writeNew(report("crash " + i), first);
        }

        assertThatThrownBy(() -> CrashReportFiles.writeNew(report("one too many"), first))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(CrashReportFiles.list(root)).hasSize(CrashReportFiles.MAX_PER_BOOT);
        assertThat(names(root)).noneMatch(n -> n.startsWith("."));
    }

    @Test
    void crashesWritingAtOnceEachGetTheirOwnFile() throws Exception {
        Path first = root.resolve(BOOT.hex() + ".log");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Path>> written = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String reason = "crash " + i;
            written.add(pool.submit(() -> CrashReportFiles.writeNew(report(reason), first)));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        List<String> reasons = new ArrayList<>();
        for (Path p : CrashReportFiles.list(root)) {
            reasons.add(CrashReportFiles.read(p).reason());
        }
        assertThat(reasons).hasSize(20).doesNotHaveDuplicates();
        for (Future<Path> f : written) {
            assertThat(f.get()).exists();
        }
    }

    @Test
    void listingIgnoresOtherFilesAndAnAbsentDirectoryHasNone() throws Exception {
        Files.writeString(root.resolve("notes.txt"), "x");
        Files.writeString(root.resolve("." + BOOT.hex() + ".log.tmp-1"), "x");
        Files.writeString(root.resolve(BOOT.hex() + ".1.log"), "x");
        Files.writeString(root.resolve(BOOT.hex() + ".10.log"), "x");
        Files.writeString(root.resolve(BOOT.hex() + ".2.log"), "x");

        assertThat(CrashReportFiles.list(root)).extracting(p -> p.getFileName().toString())
                .containsExactly(BOOT.hex() + ".2.log", BOOT.hex() + ".10.log");
        assertThat(CrashReportFiles.list(root.resolve("absent"))).isEmpty();
        assertThat(CrashReportFiles.bootOf(root.resolve(BOOT.hex() + ".10.log"))).contains(BOOT);
    }
}
