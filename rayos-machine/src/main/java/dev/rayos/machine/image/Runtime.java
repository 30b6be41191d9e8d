package dev.rayos.machine.image;

import dev.rayos.machine.disk.Tool;
import dev.rayos.machine.disk.ToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The Java runtime the image's agent runs on: a jlink'd image of only the modules {@code jdeps}
 * says {@code rayos.jar} needs (with jlink's CDS archive of those modules, so the guest JVM maps its
 * classes rather than parsing them), plus the host's shared libraries it links (found with ldd),
 * which the initramfs carries at the same paths.
 *
 * <p>jlink takes several seconds, so the runtime is kept in a cache keyed by the JDK and the module
 * list ({@code ~/.cache/rayos/image/jre-<hash>}).
 */
final class Runtime {
    /** Libraries of the runtime that only a desktop session loads; the guest is headless. */
    private static final List<String> DESKTOP_ONLY = List.of("libawt_xawt.so", "libjsound.so", "libsplashscreen.so");

    private final Path dir;
    private final List<Path> libraries;

    private Runtime(Path dir, List<Path> libraries) {
        this.dir = dir;
        this.libraries = libraries;
    }

    Path dir() {
        return dir;
    }

    /** Host paths of the shared libraries (and the ELF interpreter) the runtime needs. */
    List<Path> libraries() {
        return libraries;
    }

    /** The runtime for {@code jar}, from the cache or made now. */
    static Runtime forJar(Path jar, Path cache, java.util.function.Consumer<String> progress) throws ToolException {
        String javaHome = System.getProperty("java.home");
        Path bin = Path.of(javaHome, "bin");
        String jdeps = tool(bin, "jdeps");
        String jlink = tool(bin, "jlink");
        String modules = Tool.run(List.of(jdeps, "--print-module-deps", "--ignore-missing-deps", "--multi-release", "17",
                jar.toString())).outText().strip();
        if (!modules.matches("[a-z0-9.,]+")) {
            throw new ToolException("jdeps gave no module list for " + jar + ": '" + modules + "'");
        }
        Path dir = cache.resolve("jre-" + hash(javaHome + "|" + System.getProperty("java.version") + "|" + modules));
        if (!Files.isExecutable(dir.resolve("bin/java"))) {
            progress.accept("jlink: a runtime of " + modules);
            Path tmp = cache.resolve(dir.getFileName() + ".tmp" + ProcessHandle.current().pid());
            try {
                Files.createDirectories(cache);
                deleteTree(tmp);
                Tool.run(List.of(jlink, "--add-modules", modules, "--strip-debug", "--no-man-pages", "--no-header-files",
                        "--compress=2", "--generate-cds-archive", "--output", tmp.toString()));
                deleteTree(dir);
                Files.move(tmp, dir);
            } catch (IOException e) {
                throw new ToolException("cannot write the runtime cache " + cache + ": " + e.getMessage(), e);
            }
        } else {
            progress.accept("jlink: cached runtime " + dir.getFileName());
        }
        return new Runtime(dir, libraries(dir));
    }

    private static List<Path> libraries(Path dir) throws ToolException {
        List<Path> elves = new ArrayList<>();
        elves.add(dir.resolve("bin/java"));
        try (Stream<Path> s = Files.walk(dir.resolve("lib"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".so") && !DESKTOP_ONLY.contains(p.getFileName().toString()))
                    .forEach(elves::add);
        } catch (IOException e) {
            throw new ToolException("cannot list the runtime's libraries: " + e.getMessage(), e);
        }
        return sharedLibraries(elves, dir);
    }

    /**
     * The host's shared libraries (and ELF interpreter) that {@code elves} link, as {@code ldd} finds
     * them, but those under {@code own} (a program's own directory); the initramfs carries them at
     * the same paths.
     */
    static List<Path> sharedLibraries(List<Path> elves, Path own) throws ToolException {
        TreeSet<String> libs = new TreeSet<>();
        for (Path elf : elves) {
            String out = Tool.run(List.of("ldd", elf.toString())).outText();
            for (String line : out.split("\n")) {
                String l = line.strip();
                int arrow = l.indexOf("=> ");
                String path = arrow >= 0 ? l.substring(arrow + 3) : l;
                int paren = path.indexOf(" (");
                path = paren >= 0 ? path.substring(0, paren) : path;
                if (path.startsWith("/") && (own == null || !path.startsWith(own.toString()))) {
                    libs.add(path.strip());
                }
            }
        }
        List<Path> out = new ArrayList<>();
        libs.forEach(l -> out.add(Path.of(l)));
        return out;
    }

    private static String tool(Path bin, String name) throws ToolException {
        Path p = bin.resolve(name);
        if (Files.isExecutable(p)) {
            return p.toString();
        }
        if (Tool.onPath(name)) {
            return name;
        }
        throw new ToolException(name + " not found (it comes with a JDK; the image is built by a JDK, not a JRE)");
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
