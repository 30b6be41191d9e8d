package dev.rayos.cli.recovery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Command output as lines a terminal shows safely: no control characters reach the terminal. */
final class Text {
    private Text() {}

    static List<String> lines(byte[] bytes) {
        return lines(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Lines without their ends; a tab becomes spaces, another control character {@code \xNN}. */
    static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                out.add(b.toString());
                b.setLength(0);
            } else if (c == '\t') {
                b.append("    ", 0, 4 - b.length() % 4);
            } else if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                continue;
            } else if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() > 0) {
            out.add(b.toString());
        }
        return out;
    }
}
