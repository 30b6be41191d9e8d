package dev.rayos.bridges.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogVectorsTest {
    @TempDir
    Path root;

    static Path vectors() {
        String r = System.getProperty("rayos.repo");
        Path repo = r != null ? Path.of(r) : Path.of("..").toAbsolutePath().normalize();
        return repo.resolve("docs/bridges-syslog-vectors.txt");
    }

    /** The frames and lines of the vectors file, in order. */
    static List<String[]> read() throws Exception {
        List<String[]> out = new ArrayList<>();
        String frame = null;
        for (String l : Files.readAllLines(vectors(), StandardCharsets.UTF_8)) {
            if (l.startsWith("frame: ")) {
                frame = l.substring("frame: ".length());
            } else if (l.startsWith("line:  ")) {
                out.add(new String[] {frame, l.substring("line:  ".length())});
                frame = null;
            }
        }
        return out;
    }

    /** A frame as written in the vectors: \xHH is a byte, \\ a backslash, the rest UTF-8. */
    static byte[] bytes(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == 'x') {
                b.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                b.write('\\');
                i++;
            } else {
                b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toByteArray();
    }

    @Test
    void everyVectorFrameBecomesItsDocumentedLine() throws Exception {
        List<String[]> vectors = read();
        assertThat(vectors).hasSizeGreaterThan(10);
        List<String> expected = new ArrayList<>();
        List<String> got;
        try (Machine m = new Machine(root, "")) {
            SyslogMapping mapping = new SyslogMapping(m.system, m.system.policy().bridges());
            for (String[] v : vectors) {
                byte[] f = bytes(v[0]);
                mapping.frame(f, 0, f.length, false);
                expected.add(v[1]);
            }
            m.close();
            got = new ArrayList<>();
            for (String l : m.lines()) {
                String rest = l.substring(l.indexOf(' ') + 1);
                if (!rest.split(" ")[1].equals("log")) {
                    got.add(rest);
                }
            }
        }
        assertThat(got).containsExactlyElementsOf(expected);
    }
}
