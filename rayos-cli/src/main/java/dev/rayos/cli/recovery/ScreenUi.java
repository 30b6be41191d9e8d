package dev.rayos.cli.recovery;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;

/**
 * Full-screen mode on a terminal JLine drives: the menu and questions through its {@link LineReader},
 * output in a scrollable viewer drawn by its {@link Display} with keys from its {@link KeyMap} (the
 * terminal's own key sequences from terminfo), a status line at the bottom naming the boot shown.
 * Every escape sequence comes from JLine and the terminal's terminfo entry.
 */
final class ScreenUi implements ConsoleUi {
    /** Around a program run on the terminal: back to the device's cooked mode, and raw again. */
    interface DeviceModes {
        void cooked() throws IOException;

        void raw() throws IOException;

        void close();
    }

    private static final AttributedStyle STATUS = AttributedStyle.INVERSE;
    private static final AttributedStyle MESSAGE = AttributedStyle.BOLD;
    private static final AttributedStyle MATCH = AttributedStyle.INVERSE;

    private final String name;
    private final Terminal terminal;
    private final File device; // null: this process's own terminal
    private final DeviceModes modes; // null: this process's own terminal
    private final Display display;
    private final LineReader reader;
    private boolean onScreen;

    ScreenUi(String name, Terminal terminal, File device, DeviceModes modes) {
        this.name = name;
        this.terminal = terminal;
        this.device = device;
        this.modes = modes;
        this.display = new Display(terminal, true);
        this.reader = LineReaderBuilder.builder().terminal(terminal).appName("rayos-recovery")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String mode() {
        return "full";
    }

    @Override
    public void println(String line) {
        terminal.writer().println(line);
        terminal.flush();
    }

    @Override
    public String menu(String status, List<RecoveryAction> entries, String message) {
        List<AttributedString> lines = new ArrayList<>();
        lines.add(new AttributedString("RayOS recovery console", AttributedStyle.BOLD));
        lines.add(AttributedString.EMPTY);
        for (int i = 0; i < entries.size(); i++) {
            lines.add(new AttributedString(String.format("  %2d  %s", i + 1, entries.get(i).label())));
        }
        lines.add(new AttributedString("   q  Leave the console"));
        lines.add(AttributedString.EMPTY);
        lines.add(message == null ? AttributedString.EMPTY : new AttributedString(message, MESSAGE));
        drawWithPrompt(lines, status);
        return readLine("choice [1-" + entries.size() + ", q]> ");
    }

    @Override
    public String ask(String question) {
        List<AttributedString> lines = new ArrayList<>();
        lines.add(new AttributedString("RayOS recovery console", AttributedStyle.BOLD));
        lines.add(AttributedString.EMPTY);
        lines.add(new AttributedString(question));
        drawWithPrompt(lines, "answer, then Enter");
        return readLine("> ");
    }

    @Override
    public void show(Shown first) {
        Attributes saved = terminal.enterRawMode();
        terminal.puts(Capability.keypad_xmit);
        KeyMap<String> keys = keys();
        BindingReader bindings = new BindingReader(terminal.reader());
        Shown shown = first;
        String level = "all";
        Pattern search = null;
        String note = null;
        int top = 0;
        int left = 0; // first column shown: long lines (the boots table) scroll sideways
        boolean clear = true; // the line reader wrote on the screen: draw it all
        try {
            while (true) {
                int page = Math.max(1, rows() - 1);
                int last = Math.max(0, shown.lines().size() - page);
                top = Math.max(0, Math.min(top, shown.lines().size() - 1)); // a match may stand at the top, as in less
                drawViewer(shown, top, left, search, level, note, clear);
                note = null;
                clear = false;
                String op = bindings.readBinding(keys);
                if (op == null || op.equals("quit")) {
                    return;
                }
                switch (op) {
                    case "up" -> top--;
                    case "down" -> top = Math.min(top + 1, Math.max(top, last));
                    case "pgup" -> top -= page;
                    case "pgdn" -> top = Math.min(top + page, Math.max(top, last));
                    case "left" -> left = Math.max(0, left - size().getColumns() / 2);
                    case "right" -> left += size().getColumns() / 2;
                    case "home" -> top = 0;
                    case "end" -> top = last;
                    case "search", "next", "prev" -> {
                        if (op.equals("search")) {
                            clear = true;
                            String s = promptAtBottom("/");
                            if (s == null || s.isEmpty()) {
                                continue;
                            }
                            try {
                                search = Pattern.compile(s, Pattern.CASE_INSENSITIVE);
                            } catch (PatternSyntaxException e) {
                                search = Pattern.compile(Pattern.quote(s), Pattern.CASE_INSENSITIVE);
                            }
                        }
                        if (search == null) {
                            note = "no search yet: / to search";
                            continue;
                        }
                        int at = find(shown.lines(), search, top, !op.equals("prev"));
                        if (at < 0) {
                            note = "not found: " + search.pattern();
                        } else {
                            top = at;
                        }
                    }
                    case "level" -> {
                        if (shown.relevel() == null) {
                            note = "no level filter here: only for logs";
                            continue;
                        }
                        clear = true;
                        String l = promptAtBottom("level (TRACE DEBUG INFO NOTICE WARN ERROR CRIT; Enter = all)> ");
                        if (l == null) {
                            continue;
                        }
                        Relevelled r = shown.relevel().apply(l.strip());
                        if (r.error() != null) {
                            note = r.error();
                        } else {
                            shown = r.shown();
                            level = l.isBlank() ? "all" : l.strip();
                            top = 0;
                        }
                    }
                    default -> note = "keys: arrows (left/right for long lines) PgUp PgDn Home End, / search, n N next, l level, q back";
                }
            }
        } finally {
            terminal.puts(Capability.keypad_local);
            terminal.setAttributes(saved);
        }
    }

    @Override
    public int runProgram(List<String> argv) throws IOException, InterruptedException {
        leaveScreen();
        terminal.pause(true);
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            if (device == null) {
                pb.inheritIO();
            } else {
                modes.cooked();
                pb.redirectInput(device).redirectOutput(ProcessBuilder.Redirect.appendTo(device))
                        .redirectErrorStream(true);
            }
            return pb.start().waitFor();
        } finally {
            if (modes != null) {
                modes.raw();
            }
            terminal.resume();
        }
    }

    /** The line the user typed; "" after Ctrl-C (the menu again), null once the input ended. */
    private String readLine(String prompt) {
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException e) {
            return "";
        } catch (EndOfFileException e) {
            return null;
        }
    }

    private String promptAtBottom(String prompt) {
        Size size = size();
        display.update(List.of(), 0); // nothing of ours under the prompt
        terminal.puts(Capability.cursor_address, size.getRows() - 1, 0);
        terminal.puts(Capability.clr_eol);
        terminal.flush();
        display.reset();
        return readLine(prompt);
    }

    private static int find(List<String> lines, Pattern p, int from, boolean forward) {
        int n = lines.size();
        for (int k = 1; k <= n; k++) {
            int i = Math.floorMod(forward ? from + k : from - k, n);
            if (p.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }

    private KeyMap<String> keys() {
        KeyMap<String> k = new KeyMap<>();
        k.setNomatch("help");
        k.setUnicode("help");
        bind(k, "up", Capability.key_up, "k", "\033[A", "\033OA");
        bind(k, "down", Capability.key_down, "j", "\r", "\n", "\033[B", "\033OB");
        bind(k, "pgup", Capability.key_ppage, "b", "\033[5~");
        bind(k, "pgdn", Capability.key_npage, " ", "f", "\033[6~");
        bind(k, "left", Capability.key_left, "h", "\033[D", "\033OD");
        bind(k, "right", Capability.key_right, "\033[C", "\033OC");
        bind(k, "home", Capability.key_home, "g", "<", "\033[H", "\033[1~");
        bind(k, "end", Capability.key_end, "G", ">", "\033[F", "\033[4~");
        k.bind("search", "/");
        k.bind("next", "n");
        k.bind("prev", "N");
        k.bind("level", "l");
        k.bind("quit", "q", "Q");
        return k;
    }

    private void bind(KeyMap<String> k, String op, Capability cap, String... more) {
        String seq = KeyMap.key(terminal, cap);
        if (seq != null && !seq.isEmpty()) {
            k.bind(op, seq);
        }
        for (String m : more) {
            k.bindIfNotBound(op, m);
        }
    }

    private void drawViewer(Shown shown, int top, int left, Pattern search, String level, String note,
                            boolean clear) {
        Size size = size();
        int page = Math.max(1, size.getRows() - 1);
        List<AttributedString> lines = new ArrayList<>();
        List<String> all = shown.lines();
        for (int i = top; i < Math.min(all.size(), top + page); i++) {
            AttributedStringBuilder b = new AttributedStringBuilder().append(all.get(i));
            if (search != null) {
                b.styleMatches(search, MATCH);
            }
            lines.add(b.toAttributedString().columnSubSequence(left, left + size.getColumns()));
        }
        while (lines.size() < page) {
            lines.add(new AttributedString("~"));
        }
        String where = all.isEmpty() ? "empty" : "lines " + (top + 1) + "-" + Math.min(all.size(), top + page) + " of "
                + all.size();
        String status = shown.title() + (shown.boot() == null ? "" : " | boot " + shown.boot())
                + (shown.relevel() == null ? "" : " | level " + level) + " | " + where
                + (left > 0 ? " | from column " + (left + 1) : "") + " | "
                + (note != null ? note : "q back, / search, n next, l level");
        lines.add(statusLine(status, size.getColumns()));
        enterScreen();
        if (clear) {
            terminal.puts(Capability.clear_screen);
            display.reset();
        }
        display.resize(size.getRows(), size.getColumns());
        display.update(lines, size.cursorPos(size.getRows() - 1, 0));
    }

    /** Content at the top, the prompt on the row above the status line, the status at the bottom. */
    private void drawWithPrompt(List<AttributedString> content, String status) {
        Size size = size();
        int promptRow = size.getRows() - 2;
        List<AttributedString> lines = new ArrayList<>();
        for (AttributedString s : content) {
            if (lines.size() < promptRow) {
                lines.add(s.columnSubSequence(0, size.getColumns()));
            }
        }
        while (lines.size() < size.getRows() - 1) {
            lines.add(AttributedString.EMPTY);
        }
        lines.add(statusLine(status, size.getColumns()));
        enterScreen();
        // the line reader wrote on the screen since the last update: start from a clean screen
        terminal.puts(Capability.clear_screen);
        display.reset();
        display.resize(size.getRows(), size.getColumns());
        display.update(lines, size.cursorPos(promptRow, 0));
        terminal.flush();
    }

    private static AttributedString statusLine(String text, int cols) {
        String s = text.length() > cols ? text.substring(0, cols) : text + " ".repeat(cols - text.length());
        return new AttributedString(s, STATUS);
    }

    private int rows() {
        return size().getRows();
    }

    private Size size() {
        Size s = terminal.getSize();
        int rows = s.getRows() > 2 ? s.getRows() : 24;
        int cols = s.getColumns() > 10 ? s.getColumns() : 80;
        return new Size(cols, rows);
    }

    private void enterScreen() {
        if (!onScreen) {
            terminal.puts(Capability.enter_ca_mode);
            onScreen = true;
        }
    }

    private void leaveScreen() {
        if (onScreen) {
            terminal.puts(Capability.clear_screen);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            display.reset();
            onScreen = false;
        }
    }

    @Override
    public void close() {
        leaveScreen();
        try {
            terminal.close();
        } catch (IOException ignored) {
            // closing a terminal that went away
        }
        if (modes != null) {
            modes.close();
        }
    }
}
