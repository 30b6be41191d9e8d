package dev.rayos.log.crash;

import dev.rayos.log.root.BootId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Crash report files: written atomically, never overwriting an earlier crash of the same boot,
 * and found again.
 *
 * <p><b>Atomic.</b> The text goes to a hidden temporary file in the target's directory, is
 * fsync'd, then appears under its name in one step, and the directory is fsync'd: after a
 * power cut the report is either whole or absent, never half.
 *
 * <p><b>Several crashes of one boot.</b> The first report of a boot is {@code <boot_id>.log}
 * (the path {@code RootLayout.crashReport} gives); later ones are {@code <boot_id>.2.log},
 * {@code <boot_id>.3.log} … up to {@value #MAX_PER_BOOT}. A name is taken with {@code link(2)},
 * which fails if the name exists, so two processes crashing at once cannot overwrite each
 * other's report.
 *
 * <p>The caller creates the directory: a missing directory is an {@link IOException}, because
 * it usually means the data partition is not mounted, and then the report belongs in the ring,
 * not on whatever file system happens to be underneath.
 */
public final class CrashReportFiles {
    /** Most reports kept for one boot; a boot crashing more often than this loses the rest. */
    public static final int MAX_PER_BOOT = 99;
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{32})(?:\\.([2-9]|[1-9][0-9]))?\\.log");

    private CrashReportFiles() {}

    /**
     * Writes the report at {@code first} ({@code <dir>/<boot_id>.log}) or, when that exists, at
     * the next free {@code <boot_id>.N.log} beside it.
     *
     * @return the path written
     * @throws FileAlreadyExistsException when the boot already has {@value #MAX_PER_BOOT} reports
     */
    public static Path writeNew(CrashReport report, Path first) throws IOException {
        Path dir = directoryOf(first);
        String stem = stem(first);
        Path tmp = writeTemporary(report, dir, first.getFileName().toString());
        try {
            for (int n = 1; n <= MAX_PER_BOOT; n++) {
                Path target = n == 1 ? first : dir.resolve(stem + "." + n + ".log");
                if (Files.exists(target)) {
                    continue;
                }
                if (publish(tmp, target)) {
                    fsyncDirectory(dir);
                    return target;
                }
            }
            throw new FileAlreadyExistsException(first.toString(), null,
                    "boot already has " + MAX_PER_BOOT + " crash reports");
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the report at {@code target}, replacing what is there, atomically. */
    public static void write(CrashReport report, Path target) throws IOException {
        Path dir = directoryOf(target);
        Path tmp = writeTemporary(report, dir, target.getFileName().toString());
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a report file; bytes that are not UTF-8 read as U+FFFD rather than stopping the read. */
    public static CrashReport read(Path file) throws IOException, CrashParseException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (Reader in = new BufferedReader(Channels.newReader(FileChannel.open(file), decoder, -1))) {
            return CrashReportFormat.parse(in);
        }
    }

    /**
     * The report files in {@code dir} (named {@code <boot_id>.log} or {@code <boot_id>.N.log}),
     * by boot and then number; an absent directory has none.
     */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(found::add);
        }
        found.sort(Comparator.comparing((Path p) -> bootOf(p).orElseThrow().hex()).thenComparingInt(CrashReportFiles::numberOf));
        return found;
    }

    /** The boot a report file belongs to, from its name. */
    public static Optional<BootId> bootOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Optional.of(new BootId(m.group(1))) : Optional.empty();
    }

    /** 1 for {@code <boot_id>.log}, N for {@code <boot_id>.N.log}. */
    static int numberOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 1;
    }

    private static Path directoryOf(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IllegalArgumentException("no directory: " + target);
        }
        return dir;
    }

    private static String stem(Path first) {
        String name = first.getFileName().toString();
        return name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
    }

    private static Path writeTemporary(CrashReport report, Path dir, String name) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Writer w = Channels.newWriter(ch, StandardCharsets.UTF_8);
            CrashReportFormat.write(report, w);
            w.flush();
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** Gives {@code tmp}'s content the name {@code target} unless that name exists. */
    private static boolean publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // a file system without hard links (vfat says EPERM): check-then-rename, racy only
            // against another crash of the same boot at the same instant
            if (Files.exists(target)) {
                return false;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        // on Linux a directory opened for reading can be fsync'd; this makes the new name durable
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
