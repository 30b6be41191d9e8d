package dev.rayos.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real command as a user without privileges, so that a file with mode 000 is really
 * unreadable: as root (where permissions do not bind) through {@code setpriv} as nobody, with the
 * class path copied where nobody can read it; as any other user, directly.
 */
final class Unprivileged {
    private Unprivileged() {}

    static boolean isRoot() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        return new String(p.getInputStream().readAllBytes()).trim().equals("0");
    }

    /** The command in a child JVM as an unprivileged user; {@code scratch} is a world-readable directory. */
    static Cli.Result run(Path scratch, String... args) throws Exception {
        if (!isRoot()) {
            return Cli.process(new byte[0], args);
        }
        Path cp = scratch.resolve("cp");
        Files.createDirectories(cp);
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = cp.resolve((i++) + (Files.isDirectory(src) ? "" : ".jar"));
            if (Files.isDirectory(src)) {
                try (var walk = Files.walk(src)) {
                    for (Path f : (Iterable<Path>) walk::iterator) {
                        Path t = dst.resolve(src.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            }
            entries.add(dst.toString());
        }
        // nobody may read everything under scratch but the files a test made unreadable (mode 000)
        try (var walk = Files.walk(scratch)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                var perms = Files.getPosixFilePermissions(f, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (perms.isEmpty()) {
                    continue;
                }
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
                if (Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                }
                Files.setPosixFilePermissions(f, perms);
            }
        }
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-cp", String.join(File.pathSeparator, entries), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(scratch.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Cli.Result(p.waitFor(), new String(out), new String(err));
    }
}
