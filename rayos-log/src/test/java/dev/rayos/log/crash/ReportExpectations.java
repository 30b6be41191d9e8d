package dev.rayos.log.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;

/**
 * The {@code .expect} files of the crash vectors: one {@code path=value} a line (values escaped
 * as in a report), {@code !path} for "absent", {@code #} lines are comments (a sample's source).
 * Paths are described in {@code docs/crash-report-vectors/README.md}.
 */
final class ReportExpectations {
    private ReportExpectations() {}

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> expect = new LinkedHashMap<>();
        for (String l : Files.readAllLines(file)) {
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            String key = eq >= 0 ? l.substring(0, eq) : l;
            if (expect.put(key, eq >= 0 ? l.substring(eq + 1) : "") != null) {
                throw new IllegalStateException(file + ": " + key + " twice");
            }
        }
        return expect;
    }

    /** Asserts every expectation except the keys in {@code notPaths} (the caller's own). */
    static void assertReport(CrashReport r, Map<String, String> expect, Set<String> notPaths)
            throws CrashParseException {
        // every mismatch at once: a sample read half right says which half
        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, String> e : expect.entrySet()) {
            if (notPaths.contains(e.getKey())) {
                continue;
            }
            if (e.getKey().startsWith("!")) {
                soft.assertThat(actual(r, e.getKey().substring(1))).as(e.getKey()).isEqualTo(Optional.empty());
            } else {
                soft.assertThat(actual(r, e.getKey())).as(e.getKey())
                        .isEqualTo(Optional.of(CrashReportFormat.unescape(e.getValue(), 0)));
            }
        }
        soft.assertAll();
    }

    static Optional<String> actual(CrashReport r, String path) {
        switch (path) {
            case "boot_id": return Optional.of(r.bootId().hex());
            case "version": return r.version();
            case "build_id": return r.buildId();
            case "time": return Optional.of(r.time().toString());
            case "source": return Optional.of(r.source().label());
            case "kind": return r.kind();
            case "reason": return Optional.of(r.reason());
            case "fault_address": return r.faultAddress();
            case "error_code": return r.errorCode();
            case "location": return r.location();
            case "registers.size": return Optional.of(String.valueOf(r.registers().size()));
            case "attributes.size": return Optional.of(String.valueOf(r.attributes().size()));
            default: break;
        }
        if (path.startsWith("attr.")) {
            return Optional.ofNullable(r.attributes().get(path.substring(5)));
        }
        if (path.startsWith("reg.")) {
            return Optional.ofNullable(r.registers().get(path.substring(4)));
        }
        String section = path.replaceAll("[.\\[].*", "");
        List<String> lines = section.equals("stack") ? r.stack() : section.equals("last_lines") ? r.lastLines()
                : section.equals("excerpt") ? r.excerpt() : null;
        if (lines == null) {
            throw new IllegalArgumentException("unknown expectation " + path);
        }
        if (path.endsWith(".size")) {
            return Optional.of(String.valueOf(lines.size()));
        }
        int i = Integer.parseInt(path.substring(section.length() + 1, path.length() - 1));
        return i < lines.size() ? Optional.of(lines.get(i)) : Optional.empty();
    }
}
