package dev.rayos.log.root;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's id, which names its ring ({@code run/rayos/ring/<pid>.ring}) and temporary files.
 * Read from {@code /proc/self} where there is one: {@code ProcessHandle.current()} starts the JDK's
 * process machinery (a thread pool, generated method handles), a noticeable part of a short
 * command's start (docs/PERFORMANCE.md, "Start of the short commands").
 */
public final class ProcessId {
    private static final long PID = read();

    private ProcessId() {}

    /** The id of this process. */
    public static long current() {
        return PID;
    }

    private static long read() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().pid(); // no procfs
        }
    }
}
