package dev.rayos.log.crash;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Main class of a child JVM that crashes itself with SIGSEGV by writing to address 0. */
public final class CrashingJvm {
    private CrashingJvm() {}

    public static void main(String[] args) throws Exception {
        // reflection keeps the compiler quiet about sun.misc.Unsafe being internal
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Object unsafe = theUnsafe.get(null);
        unsafeClass.getMethod("putAddress", long.class, long.class).invoke(unsafe, 0L, 42L);
        System.exit(3); // not reached: the write above kills the JVM
    }

    /** Runs this class in a child JVM writing its error log into {@code dir}; returns the log. */
    static Path crashInto(Path dir) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx32m", "-Xss512k", "-XX:TieredStopAtLevel=1",
                "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
                "-cp", System.getProperty("java.class.path"), CrashingJvm.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.out").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("crashing child JVM did not end within 60 s");
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err_"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("child JVM exited " + p.exitValue()
                            + " without an hs_err file"));
        }
    }
}
