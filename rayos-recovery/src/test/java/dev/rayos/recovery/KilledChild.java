package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kill tests' child JVM: its main prints {@code AT k <point>} and waits at the point it is to
 * stop at ({@link #stopHere}), or {@code DONE <points>} at the end; the test kills it with SIGKILL at
 * the first, reads the count of points at the second.
 *
 * @param points    the points a run that was not stopped passed (-1 when killed)
 * @param stoppedAt the child's line: {@code AT k <point>} or {@code DONE n}
 */
record KilledChild(int points, String stoppedAt) {
    /** Runs {@code main} with {@code args} in a child JVM, killing it with SIGKILL where it stops. */
    static KilledChild run(Class<?> main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            if (line == null) {
                p.waitFor(60, TimeUnit.SECONDS);
                throw new AssertionError("child ended without a word, exit " + p.exitValue());
            }
            if (line.startsWith("AT ")) {
                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
                return new KilledChild(-1, line);
            }
            assertThat(line).startsWith("DONE ");
            p.waitFor(60, TimeUnit.SECONDS);
            return new KilledChild(Integer.parseInt(line.substring(5)), line);
        }
    }

    /** In the child: says where it stopped and waits to be killed. */
    static void stopHere(int n, String what) throws IOException {
        System.out.println("AT " + n + " " + what);
        System.out.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    /** In the child: says it ran to the end, past {@code points} points. */
    static void done(int points) {
        System.out.println("DONE " + points);
        System.out.flush();
    }
}
