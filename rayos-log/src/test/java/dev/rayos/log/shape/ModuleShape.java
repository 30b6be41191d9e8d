package dev.rayos.log.shape;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of one module's main code, checked at every build (issue 12): its packages form no cycle
 * (as the JDK's own {@code jdeps} sees the compiled classes), and no class runs past
 * {@link #MAX_LINES} lines unless the module lists it with the reason it is one piece. The one home of
 * these checks: each module's {@code StructureTest} extends this class with its own list, and
 * rayos-log publishes it to the others in its test-jar.
 */
public abstract class ModuleShape {
    /** The longest a class may be without a stated reason. */
    public static final int MAX_LINES = 400;
    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.rayos\\.\\S+)\\s+->\\s+(dev\\.rayos\\.\\S+)\\s");

    private final Path classes;
    private final Path sources;
    private final Map<String, String> longClasses;

    /**
     * The module that holds {@code anyMainClass}: its compiled classes (where that class was loaded
     * from) and its sources under the module's root package, {@code dev.rayos.<module>}, in
     * {@code src/main/java} of the module the test runs in.
     *
     * @param longClasses the classes allowed past {@link #MAX_LINES}, each with why, by path under
     *                    the root package ({@code ring/Ring.java} for {@code dev.rayos.log.ring.Ring})
     */
    protected ModuleShape(Class<?> anyMainClass, Map<String, String> longClasses) {
        try {
            this.classes = Path.of(anyMainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String[] pkg = anyMainClass.getPackageName().split("\\.");
        this.sources = Path.of("src/main/java", Arrays.copyOf(pkg, Math.min(3, pkg.length)));
        this.longClasses = longClasses;
    }

    /** Fails with each package cycle and its edges; fails too if jdeps saw no package at all. */
    @Test
    public void packagesDependOnEachOtherWithoutACycle() {
        Map<String, Set<String>> uses = packageDependencies();
        assertThat(uses).as("jdeps found no dev.rayos packages in " + classes + ": the test reads the wrong directory").isNotEmpty();
        assertThat(cycles(uses)).as("package cycles (each with its packages' edges)").isEmpty();
    }

    /**
     * Fails with each class over {@link #MAX_LINES} lines that the module's list does not name, and
     * with each listed class that is no longer long (so the list stays true).
     */
    @Test
    public void noClassIsLongerThan400LinesWithoutAStatedReason() throws IOException {
        Map<String, String> reasons = longClasses;
        Map<String, Long> lengths = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                try (Stream<String> l = Files.lines(f)) {
                    lengths.put(sources.relativize(f).toString().replace(File.separatorChar, '/'), l.count());
                }
            }
        }
        List<String> tooLong = new ArrayList<>();
        lengths.forEach((rel, lines) -> {
            if (lines > MAX_LINES && !reasons.containsKey(rel)) {
                tooLong.add(rel + " (" + lines + " lines)");
            }
        });
        assertThat(tooLong).as("classes over " + MAX_LINES + " lines with no reason in LONG_CLASSES").isEmpty();
        List<String> stale = new ArrayList<>();
        reasons.keySet().forEach(rel -> {
            Long lines = lengths.get(rel);
            if (lines == null || lines <= MAX_LINES) {
                stale.add(rel + (lines == null ? " (no such file)" : " (" + lines + " lines)"));
            }
        });
        assertThat(stale).as("LONG_CLASSES names classes that are not over " + MAX_LINES + " lines: take them off").isEmpty();
    }

    /** Package → the dev.rayos packages it uses, as {@code jdeps -verbose:package} reports them. */
    Map<String, Set<String>> packageDependencies() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--multi-release", "17", "-verbose:package"));
        if (Files.exists(classes.resolve("module-info.class"))) {
            // A named module: jdeps resolves what its module-info requires (rayos-log, jackson-jr,
            // picocli, ...) from the test's class path read as a module path, less the test classes
            // and test-jars (they share packages with the modules they test) and this module itself.
            args.addAll(List.of("--module-path", Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(e -> !e.endsWith("test-classes") && !e.endsWith("-tests.jar") && !Path.of(e).equals(classes))
                    .collect(Collectors.joining(File.pathSeparator))));
        }
        args.add(classes.toString());
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(rc).as("jdeps: " + err + out).isZero();
        Map<String, Set<String>> uses = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                uses.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return uses;
    }

    /** The strongly connected groups of more than one package (Tarjan), each with its inner edges. */
    public static List<String> cycles(Map<String, Set<String>> uses) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<String> found = new ArrayList<>();
        Set<String> nodes = new TreeSet<>(uses.keySet());
        uses.values().forEach(nodes::addAll);
        for (String n : nodes) {
            if (!index.containsKey(n)) {
                connect(n, uses, index, low, stack, found);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Set<String>> uses, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, List<String> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : uses.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, uses, index, low, stack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> group = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                group.add(w);
            } while (!w.equals(v));
            if (group.size() > 1) {
                List<String> edges = new ArrayList<>();
                for (String a : group) {
                    for (String b : uses.getOrDefault(a, Set.of())) {
                        if (group.contains(b)) {
                            edges.add(a + " -> " + b);
                        }
                    }
                }
                found.add(group + ": " + edges);
            }
        }
    }
}
