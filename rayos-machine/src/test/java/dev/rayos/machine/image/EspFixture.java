package dev.rayos.machine.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Lays out a directory as an image lays out its ESP (the same {@link EspContent} the image builder writes). */
public final class EspFixture {
    private EspFixture() {}

    /** The loader files with the normal entry counted with {@code tries}, ESP path to bytes. */
    public static Map<String, byte[]> files(int tries) {
        return EspContent.files(tries, "");
    }

    /** Writes the loader files under {@code dir}; returns {@code dir}. */
    public static Path layOut(Path dir, int tries) throws IOException {
        for (Map.Entry<String, byte[]> e : files(tries).entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return dir;
    }
}
