package dev.rayos.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the repository's docs (their vectors) and ../shared fixtures. */
public final class Vectors {
    private Vectors() {}

    public static Path repo() {
        String r = System.getProperty("rayos.repo");
        Path p = r != null ? Path.of(r) : Path.of("..").toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("docs"))) {
            p = Path.of("").toAbsolutePath().getParent();
        }
        return p;
    }

    public static Path docs(String name) {
        return repo().resolve("docs").resolve(name);
    }

    public static Path shared(String name) {
        return repo().resolve("../shared").resolve(name).normalize();
    }

    public static String read(String docName) throws IOException {
        return Files.readString(docs(docName));
    }
}
