package dev.rayos.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of rayos-log, checked at every build (issue 12): its packages form no cycle (as the
 * JDK's own {@code jdeps} sees the compiled classes), and no class runs past 400 lines unless it is
 * listed below with the reason it is one piece.
 */
class StructureTest {
    static final int MAX_LINES = 400;
    /** Classes allowed past {@link #MAX_LINES}, each with why. Keep this list short. */
    static final Map<String, String> LONG_CLASSES = Map.of(
            "ring/Ring.java", "the live ring: append, read, commit and wrap share one lock and one crash-consistency argument",
            "read/LogReader.java", "the reader's split is the reader work's (issue 12, reader section)",
            "boot/BootRecord.java", "the boot history record and its JSON form, which docs/boot-history.md pins down",
            "crash/CrashReportFormat.java", "the crash report's text, written and parsed beside each other (docs/crash-report.md)");
    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.rayos\\.\\S+)\\s+->\\s+(dev\\.rayos\\.\\S+)\\s");

    @Test
    void packagesDependOnEachOtherWithoutACycle() throws Exception {
        Map<String, Set<String>> uses = packageDependencies(classesDir());
        assertThat(uses).as("jdeps found no dev.rayos packages: the test reads the wrong directory").isNotEmpty();
        assertThat(cycles(uses)).as("package cycles (each with its packages' edges)").isEmpty();
    }

    @Test
    void noClassIsLongerThan400LinesWithoutAStatedReason() throws IOException {
        Path src = Path.of("src/main/java/dev/rayos/log");
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String rel = src.relativize(f).toString();
                long lines;
                try (Stream<String> l = Files.lines(f)) {
                    lines = l.count();
                }
                if (lines > MAX_LINES && !LONG_CLASSES.containsKey(rel)) {
                    tooLong.add(rel + " (" + lines + " lines)");
                }
            }
        }
        assertThat(tooLong).as("classes over " + MAX_LINES + " lines with no reason in LONG_CLASSES").isEmpty();
    }

    static Path classesDir() throws Exception {
        return Path.of(LogSystem.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Package → the dev.rayos packages it uses, as {@code jdeps -verbose:package} reports them. */
    static Map<String, Set<String>> packageDependencies(Path classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // The library is a module: jdeps resolves what module-info requires from the test's class
        // path (jackson-jr and the jackson-core it requires), read as a module path.
        String deps = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> Path.of(e).getFileName().toString().startsWith("jackson-"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "--multi-release", "17", "--module-path", deps, "-verbose:package",
                classes.toString());
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
    static List<String> cycles(Map<String, Set<String>> uses) {
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

    @Test
    void theCycleCheckFindsACycle() {
        // The check itself must be able to fail: two packages using each other are one group.
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("a", "c"), "c", Set.of());
        assertThat(cycles(uses)).containsExactly("[a, b]: [a -> b, b -> a]");
    }
}
