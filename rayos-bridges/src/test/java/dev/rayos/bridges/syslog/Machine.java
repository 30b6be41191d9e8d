package dev.rayos.bridges.syslog;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.root.LogFileName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A machine in a temporary root with a running log system; {@link #lines()} reads every log file. */
final class Machine implements AutoCloseable {
    final RootLayout layout;
    final BootId boot = BootId.random();
    final LogSystem system;

    Machine(Path root, String policy) throws Exception {
        this.layout = new RootLayout(root);
        Policy p = Policy.parse(policy);
        this.system = LogSystem.builder(layout).boot(boot).policy(p).console(new ByteArrayOutputStream()).open();
    }

    SyslogListener listen() throws IOException {
        return SyslogListener.start(system, layout, system.policy());
    }

    /** Every line of every category file, each file in order (after {@link #close()}). */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(layout.logsDir())) {
            return out;
        }
        try (Stream<Path> s = Files.walk(layout.logsDir())) {
            // log files only: a category directory also holds its lock file (.lock)
            for (Path f : s.filter(Files::isRegularFile).filter(Machine::isLogFile).sorted().toList()) {
                for (String l : Files.readString(f, StandardCharsets.UTF_8).split("\n", -1)) {
                    if (!l.isEmpty()) {
                        out.add(l);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The lines a component logged, without the timestamp. */
    List<String> linesOf(String component) {
        List<String> out = new ArrayList<>();
        for (String l : lines()) {
            String rest = l.substring(l.indexOf(' ') + 1);
            String[] f = rest.split(" ", 3);
            if (f.length >= 2 && f[1].equals(component)) {
                out.add(rest);
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        system.close();
    }

    private static boolean isLogFile(Path p) {
        return LogFileName.parse(p.getFileName().toString()).isPresent();
    }
}
