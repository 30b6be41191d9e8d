package dev.rayos.machine.image;

import dev.rayos.log.line.Marker;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import dev.rayos.machine.agent.Component;
import dev.rayos.machine.disk.Tool;
import dev.rayos.machine.disk.ToolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The AppCDS archive of the guest's JVM: the classes the agent and the short commands load, dumped
 * at image build by the image's own runtime, so the guest maps them rather than reading and
 * verifying them from the jar. Under TCG that is most of a JVM start.
 *
 * <p>A static archive names its jar by path, size and modification time, and JDK 17 does not
 * relocate it. So the jar is staged at a host path, its modification time set to 0 (what the
 * initramfs gives every file), and the guest gets a symlink at that same path pointing to
 * {@code /opt/rayos/rayos.jar}: the JVM takes a class path entry that is the same file (same
 * device and inode) as the recorded one. A stale or foreign archive costs speed, never the boot:
 * with {@code -Xshare:auto} the JVM ignores an archive that does not fit.
 *
 * <p>The training is one agent boot on a scratch machine root (a component that exits 0, READY,
 * SIGTERM), then {@code make-archive.sh}, the host launcher's script, for the short commands, the
 * merge of the class lists and the dump. The result is cached by runtime and jar ({@code cds-<hash>}).
 */
final class AgentCds {
    /** The archive, and the host path its jar was recorded under (the guest's symlink). */
    record Archive(Path file, String recordedJar) {}

    /** Where the guest finds the archive. */
    static final String GUEST_ARCHIVE = "/opt/rayos/rayos.jsa";

    private AgentCds() {}

    /** The archive for {@code jar} on {@code rt}, from the cache or made now. */
    static Archive forJar(Runtime rt, Path jar, String javaOptions, Path cache, Consumer<String> progress) throws ToolException {
        Path dir = cache.toAbsolutePath().resolve("cds-" + hash(rt.dir().getFileName() + "|" + javaOptions, jar));
        Path archive = dir.resolve("rayos.jsa");
        Path staged = dir.resolve("rayos.jar");
        if (Files.isRegularFile(archive) && Files.isRegularFile(staged)) {
            progress.accept("appcds: cached archive " + dir.getFileName());
            return new Archive(archive, staged.toString());
        }
        progress.accept("appcds: training the agent and the short commands, then dumping their classes");
        Path tmp = cache.resolve(dir.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try {
            Runtime.deleteTree(tmp);
            Files.createDirectories(tmp);
            // staged under its final directory's name: the path the archive records must stay valid
            Files.createDirectories(dir);
            Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(staged, FileTime.fromMillis(0));
            String java = rt.dir().resolve("bin/java").toString();
            String options = String.join(" ", List.of(javaOptions.split(" ")).stream().filter(o -> !o.startsWith("-Xshare")).toList());
            Path agentList = tmp.resolve("agent.classlist");
            trainAgent(command(java, javaOptions, agentList, staged, agentRoot(tmp.resolve("machine")), List.of("agent")),
                    tmp.resolve("machine"));
            Path script = tmp.resolve("make-archive.sh");
            try (InputStream in = AgentCds.class.getResourceAsStream("make-archive.sh")) {
                if (in == null) {
                    throw new ToolException("make-archive.sh is missing from the jar (a broken build)");
                }
                Files.copy(in, script);
            }
            Path out = tmp.resolve("rayos.jsa");
            // the short commands' training, the merge and the dump: the script's, shared with the host launcher's archive
            Tool.run(List.of("bash", script.toString(), java, staged.toString(), out.toString()), null,
                    Map.of("RAYOS_CDS_JAVA_OPTS", options, "RAYOS_CDS_EXTRA_LISTS", agentList.toString(), "TMPDIR", tmp.toString()), 600);
            Files.move(out, archive, StandardCopyOption.ATOMIC_MOVE);
            pruneOthers(cache, dir);
            return new Archive(archive, staged.toString());
        } catch (IOException e) {
            throw new ToolException("cannot make the AppCDS archive in " + cache + ": " + e.getMessage(), e);
        } finally {
            try {
                Runtime.deleteTree(tmp);
            } catch (IOException e) {
                // a scratch directory left in the cache is harmless
            }
        }
    }

    private static List<String> command(String java, String options, Path list, Path jar, Path root, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(options.split(" ")));
        cmd.addAll(List.of("-XX:DumpLoadedClassList=" + list, "-jar", jar.toString(), "--root", root.toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** A machine root with one component that exits 0: the agent reaches READY, then waits for SIGTERM. */
    private static Path agentRoot(Path root) throws IOException {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/cmdline"), "rayos.mode=normal\n");
        Files.writeString(root.resolve("proc/sysrq-trigger"), "");
        Files.createDirectories(root.resolve(Component.LIST).getParent());
        Files.writeString(root.resolve(Component.LIST), new Component("train", false).line() + "\n");
        Path exe = root.resolve(Component.DIR).resolve("train");
        Files.createDirectories(exe.getParent());
        Files.writeString(exe, "#!/bin/sh\necho trained\nexit 0\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    private static void trainAgent(List<String> cmd, Path root) throws IOException, ToolException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve("agent.out").toFile()).start();
        try {
            Boots boots = new Boots(new RootLayout(root), LogClock.system());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (p.isAlive() && System.nanoTime() < end && !ready(boots)) {
                Thread.sleep(100);
            }
            if (!ready(boots)) {
                throw new ToolException("the training agent did not reach READY: "
                        + Files.readString(root.resolve("agent.out")).strip().replace('\n', ' '));
            }
            p.destroy(); // SIGTERM: the clean end of a boot, whose classes are wanted too
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new ToolException("the training agent did not end after SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while training the agent", e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean ready(Boots boots) {
        try {
            Optional<BootRecord> r = boots.current().map(id -> {
                try {
                    return boots.read(id);
                } catch (Exception e) {
                    return null;
                }
            });
            return r.isPresent() && r.get().marker(Marker.READY) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pruneOthers(Path cache, Path keep) {
        try (Stream<Path> s = Files.list(cache)) {
            long hourAgo = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("cds-") && !p.equals(keep)).toList()) {
                // an archive per jar: older jars' are of no more use (an hour's grace for a build using one now)
                if (Files.getLastModifiedTime(p).toMillis() < hourAgo) {
                    Runtime.deleteTree(p);
                }
            }
        } catch (IOException e) {
            // old archives left in the cache cost disk, nothing else
        }
    }

    private static String hash(String key, Path jar) throws ToolException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(key.getBytes(StandardCharsets.UTF_8));
            d.update(Files.readAllBytes(jar));
            return HexFormat.of().formatHex(d.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new ToolException("cannot read " + jar + ": " + e.getMessage(), e);
        }
    }
}
