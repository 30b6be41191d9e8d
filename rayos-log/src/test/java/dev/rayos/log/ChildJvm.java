package dev.rayos.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a class of the test classpath in a child JVM (the real thing for crash and kill tests). */
public final class ChildJvm {
    private ChildJvm() {}

    public static ProcessBuilder builder(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Quick start-up: these children live for a second or two.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    public static Process start(Class<?> main, String... args) throws IOException {
        return builder(main, args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
