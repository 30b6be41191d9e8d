package dev.rayos.log.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the crash vectors under {@code docs/crash-report-vectors} of the repository. */
final class Vectors {
    private Vectors() {}

    static Path repo() {
        return dev.rayos.log.Vectors.repo();
    }

    static Path path(String relative) {
        return repo().resolve("docs/crash-report-vectors").resolve(relative);
    }

    static String text(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
