package dev.rayos.recovery;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A machine on a temporary root, made through the real library (boots, logs), plus VMs and crash files. */
final class TestMachine {
    final Path root;
    final RootLayout layout;

    TestMachine(Path root) {
        this.root = root;
        this.layout = new RootLayout(root);
    }

    /** Starts a boot and logs {@code lines} lines in it through the real pipeline. */
    BootRecord boot(int lines) throws IOException {
        BootRecord r = new Boots(layout, LogClock.system()).start(BootMode.NORMAL, true);
        try (LogSystem s = LogSystem.builder(layout).boot(r.id()).console(java.io.OutputStream.nullOutputStream())
                .open()) {
            for (int i = 0; i < lines; i++) {
                s.logger("kernel").info("WORK").kv("n", i).log();
            }
        }
        return r;
    }

    /** Writes {@code count} older log segments of random boots into {@code category} (one line each). */
    void oldSegments(String category, int count, Random rnd) throws IOException {
        Path dir = layout.categoryDir(category);
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[16];
            rnd.nextBytes(b);
            Files.writeString(dir.resolve(BootId.fromBytes(b).hex() + "." + (1 + i % 3) + ".log"),
                    "2026-01-01T00:00:00Z INFO old LINE n=" + i + "\n");
        }
    }

    Path write(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    Path writeBytes(String rel, byte[] content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    /** A symbolic link at {@code rel} to {@code target}. */
    Path link(String rel, Path target) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, target);
        return p;
    }

    static byte[] random(int n, Random rnd) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static String sha256(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every entry under {@code dir} (links not followed) with its kind and content hash: equal
     * before and after means nothing was changed, added or removed.
     */
    static TreeMap<String, String> tree(Path dir) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "dir");
                } else {
                    out.put(rel, "file " + Files.size(p) + " " + sha256(p));
                }
            }
        }
        return out;
    }

    /** The files under {@code dir}, relative, sorted. */
    static List<String> files(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        tree(dir).forEach((k, v) -> {
            if (!v.equals("dir")) {
                out.add(k);
            }
        });
        return out;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
