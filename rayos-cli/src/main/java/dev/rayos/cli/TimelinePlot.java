package dev.rayos.cli;

import dev.rayos.log.line.Marker;
import dev.rayos.log.line.Level;
import dev.rayos.log.read.BootTimeline;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.svg.SVGGraphics2D;

/**
 * A boot's timeline as a picture, like {@code systemd-analyze plot}: a time axis from the boot's
 * start, one row per marker reached with a bar from the previous marker labelled with the span,
 * warnings (amber) and errors (red) ticked along the bottom, a crash (RAYOS_PANIC) as a red line
 * across, a legend and the boot's end state. The axis runs to the boot's last line (at least 1 s).
 * One painter draws on any
 * {@link Graphics2D}: JFreeSVG's for SVG, a {@link BufferedImage}'s for PNG.
 */
final class TimelinePlot {
    static final int WIDTH = 960;
    private static final int ROW = 26;
    private static final int TOP = 56;
    private static final int LEFT = 230;
    private static final int RIGHT = 40;

    private final BootTimeline t;
    private final String title;

    TimelinePlot(BootTimeline t, String title) {
        this.t = t;
        this.title = title;
    }

    /** The readiness milestones reached, in time order (not crashes, time syncs or component events). */
    List<Map.Entry<String, Long>> milestones() {
        List<Map.Entry<String, Long>> ms = new ArrayList<>();
        for (Map.Entry<String, Long> m : t.markers().entrySet()) {
            if (Marker.READINESS.contains(m.getKey())) {
                ms.add(m);
            }
        }
        ms.sort(Map.Entry.comparingByValue());
        return ms;
    }

    int height() {
        return TOP + Math.max(1, milestones().size()) * ROW + 130;
    }

    /** The SVG document. */
    byte[] svg() {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, height());
        paint(g);
        return g.getSVGDocument().getBytes(StandardCharsets.UTF_8);
    }

    /** The PNG image. */
    byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(WIDTH, height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            paint(g);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer in this JDK");
        }
        return out.toByteArray();
    }

    void paint(Graphics2D g) {
        int h = height();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, 12, 22);
        List<Map.Entry<String, Long>> ms = milestones();
        Long panic = t.markers().get(Marker.PANIC);
        long end = 1_000_000_000L; // at least a second: a boot without markers still gets a readable axis
        if (t.lastAfterStart() != null) {
            end = Math.max(end, t.lastAfterStart());
        }
        for (Map.Entry<String, Long> m : ms) {
            end = Math.max(end, m.getValue());
        }
        if (panic != null) {
            end = Math.max(end, panic);
        }
        for (BootTimeline.Point p : t.problems()) {
            end = Math.max(end, p.atNanos());
        }
        long span = niceSpan(end);
        int plotW = WIDTH - LEFT - RIGHT;
        int axisY = TOP + Math.max(1, ms.size()) * ROW + 10;
        // grid and axis labels
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 10; i++) {
            int x = LEFT + plotW * i / 10;
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(x, TOP - 6, x, axisY);
            g.setColor(Color.DARK_GRAY);
            String lbl = BootsCommand.seconds(span * i / 10);
            g.drawString(lbl, x - fm.stringWidth(lbl) / 2, TOP - 10);
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, axisY, LEFT + plotW, axisY);
        if (ms.isEmpty()) {
            g.drawString("no marker reached", LEFT + 8, TOP + 18);
        }
        long prev = 0;
        for (int i = 0; i < ms.size(); i++) {
            String name = ms.get(i).getKey();
            long at = Math.max(0, ms.get(i).getValue());
            int y = TOP + i * ROW;
            int x0 = LEFT + (int) (plotW * Math.min(prev, at) / span);
            int x1 = LEFT + (int) (plotW * at / span);
            boolean ready = name.equals(Marker.READY);
            g.setColor(ready ? new Color(0x2E7D32) : new Color(0x1565C0));
            g.fillRect(x0, y + 4, Math.max(2, x1 - x0), ROW - 10);
            g.setColor(Color.BLACK);
            g.drawString(name, 12, y + ROW - 9);
            String lbl = "+" + BootsCommand.seconds(at - Math.min(prev, at)) + " (at " + BootsCommand.seconds(at) + ")";
            int lx = x1 + 6;
            if (lx + fm.stringWidth(lbl) > WIDTH - 4) {
                lx = Math.max(LEFT, x0 - fm.stringWidth(lbl) - 6);
            }
            g.drawString(lbl, lx, y + ROW - 9);
            prev = at;
        }
        if (panic != null) {
            int x = LEFT + (int) (plotW * Math.max(0, panic) / span);
            g.setColor(new Color(0xC62828));
            g.setStroke(new BasicStroke(3f));
            g.drawLine(x, TOP - 6, x, axisY);
            g.setStroke(new BasicStroke(1f));
            String lbl = "crash (RAYOS_PANIC) at " + BootsCommand.seconds(panic);
            g.drawString(lbl, Math.max(LEFT, Math.min(x + 4, WIDTH - fm.stringWidth(lbl) - 4)), axisY - 4);
        }
        // warnings and errors along the bottom
        int tickY = axisY + 18;
        g.setColor(Color.BLACK);
        g.drawString("warnings / errors", 12, tickY + 10);
        g.setStroke(new BasicStroke(2f));
        int warns = 0;
        int errors = 0;
        List<BootTimeline.Point> probs = new ArrayList<>(t.problems());
        probs.sort(Comparator.comparingLong(BootTimeline.Point::atNanos));
        for (BootTimeline.Point p : probs) {
            boolean err = p.level().compareTo(Level.ERROR) >= 0;
            if (err) {
                errors++;
            } else {
                warns++;
            }
            int x = LEFT + (int) (plotW * Math.max(0, p.atNanos()) / span);
            g.setColor(err ? new Color(0xC62828) : new Color(0xF9A825));
            g.drawLine(x, tickY - 4, x, tickY + 14);
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.DARK_GRAY);
        g.drawString(warns + " warning" + (warns == 1 ? "" : "s") + ", " + errors + " error" + (errors == 1 ? "" : "s")
                + (t.mono() ? "   (monotonic time: the wall clock was never known)" : ""), 12, tickY + 40);
        g.drawString("end: " + endState(), 12, tickY + 58);
        legend(g, tickY + 80);
    }

    /** How the boot ended, as the history says (running, clean, crash, watchdog, unclean). */
    String endState() {
        var r = t.boot().record();
        if (r == null) {
            return "unknown (no history)";
        }
        String s = r.end().id();
        return t.lastAfterStart() == null ? s : s + ", last line at " + BootsCommand.seconds(t.lastAfterStart());
    }

    private static void legend(Graphics2D g, int y) {
        Object[][] items = {{new Color(0x1565C0), "span to a milestone"}, {new Color(0x2E7D32), "RAYOS_READY"},
            {new Color(0xF9A825), "warning"}, {new Color(0xC62828), "error, crash"}};
        int x = 12;
        FontMetrics fm = g.getFontMetrics();
        for (Object[] it : items) {
            g.setColor((Color) it[0]);
            g.fillRect(x, y - 9, 14, 10);
            g.setColor(Color.DARK_GRAY);
            g.drawString((String) it[1], x + 18, y);
            x += 18 + fm.stringWidth((String) it[1]) + 20;
        }
    }

    /** A round span at least {@code end}: 1, 2 or 5 times a power of ten nanoseconds. */
    static long niceSpan(long end) {
        long step = 1_000_000L; // 1 ms
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (step * m * 10 >= end) {
                    return step * m * 10;
                }
            }
            step *= 10;
        }
    }
}
