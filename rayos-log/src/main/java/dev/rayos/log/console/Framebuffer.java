package dev.rayos.log.console;

import dev.rayos.log.root.RootLayout;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * A Linux fbdev framebuffer a panic banner is drawn on (spec §4.1: "serial + framebuffer (if
 * available)"). The geometry comes from sysfs ({@code /sys/class/graphics/fbN/virtual_size},
 * {@code bits_per_pixel}, {@code stride}); the pixels are written to the device file at
 * {@code y * stride}. No ioctl: Java has none, and sysfs gives all a banner needs.
 *
 * <p>Pixel layouts (sysfs does not give the colour bitfields; these are what Linux's common
 * drivers — efifb, simplefb, bochs, virtio-gpu — use): 32 bpp XRGB8888, 24 bpp RGB888, 16 bpp
 * RGB565, all little-endian. Text is drawn by Java2D (headless) onto an image first; there is no
 * font code here.
 *
 * <p>In tests the device is a regular file under the root and the sysfs files are too
 * ({@code <root>/dev/fb0}, {@code <root>/sys/class/graphics/fb0/…}).
 */
public final class Framebuffer {
    /** Screen size in pixels, bits per pixel, bytes per row. */
    public record Geometry(int width, int height, int bitsPerPixel, int stride) {
        static final int MAX_SIDE = 16384;

        public Geometry {
            if (width < 1 || width > MAX_SIDE || height < 1 || height > MAX_SIDE) {
                throw new IllegalArgumentException("framebuffer size " + width + "x" + height
                        + " outside 1.." + MAX_SIDE);
            }
            if (bitsPerPixel != 16 && bitsPerPixel != 24 && bitsPerPixel != 32) {
                throw new IllegalArgumentException("framebuffer of " + bitsPerPixel
                        + " bits per pixel (16, 24 and 32 are drawn)");
            }
            if (stride < width * (bitsPerPixel / 8) || stride > (1 << 20)) {
                throw new IllegalArgumentException("framebuffer stride " + stride + " does not fit "
                        + width + " pixels of " + bitsPerPixel + " bits");
            }
        }

        public int bytesPerPixel() {
            return bitsPerPixel / 8;
        }

        /**
         * Reads the three sysfs files' texts: {@code virtual_size} ({@code "1024,768"}),
         * {@code bits_per_pixel} ({@code "32"}), {@code stride} ({@code "4096"}); surrounding
         * white space is ignored.
         *
         * @throws IllegalArgumentException for anything else
         */
        public static Geometry parse(String virtualSize, String bitsPerPixel, String stride) {
            String vs = virtualSize.strip();
            int comma = vs.indexOf(',');
            if (comma < 0) {
                throw new IllegalArgumentException("virtual_size is not 'width,height': " + printable(vs));
            }
            return new Geometry(number("width", vs.substring(0, comma)), number("height", vs.substring(comma + 1)),
                    number("bits_per_pixel", bitsPerPixel), number("stride", stride));
        }

        private static int number(String what, String s) {
            String t = s.strip();
            if (t.isEmpty() || t.length() > 9 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException(what + " is not a number: " + printable(t));
            }
            return Integer.parseInt(t);
        }

        private static String printable(String s) {
            String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
            return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
        }
    }

    private static final Color BACKGROUND = new Color(0x80, 0x00, 0x00);
    private static final Color TEXT = Color.WHITE;

    private final Path device;
    private final Geometry geometry;

    public Framebuffer(Path device, Geometry geometry) {
        this.device = device;
        this.geometry = geometry;
    }

    /**
     * The framebuffer a {@code crash.framebuffer} setting names, when it is there: {@code none}
     * gives none; an absolute path is a device of this machine with its geometry under {@code
     * /sys/class/graphics/<name>/}; a relative path is under the root, and so is its sysfs.
     *
     * @return empty when turned off or absent (no device, or no geometry)
     * @throws IOException when the device is there but its geometry cannot be read or makes no sense
     */
    public static Optional<Framebuffer> find(RootLayout layout, String setting) throws IOException {
        if (setting == null || setting.isBlank() || setting.equals("none")) {
            return Optional.empty();
        }
        Path dev = Path.of(setting);
        Path base = dev.isAbsolute() ? Path.of("/") : layout.root();
        dev = base.resolve(dev).normalize();
        if (!dev.startsWith(base)) {
            throw new IOException("crash.framebuffer '" + setting + "' leads outside the root");
        }
        if (!Files.exists(dev) || dev.getFileName() == null) {
            return Optional.empty();
        }
        Path sys = base.resolve("sys/class/graphics").resolve(dev.getFileName().toString());
        try {
            return Optional.of(new Framebuffer(dev, Geometry.parse(read(sys, "virtual_size"),
                    read(sys, "bits_per_pixel"), read(sys, "stride"))));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // a device without fbdev geometry is not a framebuffer we can draw on
        } catch (IllegalArgumentException e) {
            throw new IOException(sys + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path dir, String name) throws IOException {
        byte[] b = Files.readAllBytes(dir.resolve(name));
        return new String(b, 0, Math.min(b.length, 64), StandardCharsets.US_ASCII);
    }

    public Path device() {
        return device;
    }

    public Geometry geometry() {
        return geometry;
    }

    /**
     * Draws {@code lines} as a banner across the top of the screen: white monospaced text on dark
     * red, the rest of the screen left as it is. Lines too long for the screen are cut.
     *
     * @return the height of the banner in pixels
     */
    public int drawBanner(List<String> lines) throws IOException {
        int w = geometry.width();
        // A font readable from across a room on 1024x768 and still fitting 10 lines on 640x480.
        int size = Math.max(12, Math.min(32, geometry.height() / 40));
        Font font = new Font(Font.MONOSPACED, Font.PLAIN, size);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        int lineHeight = fm.getHeight();
        int margin = Math.max(4, size / 2);
        int h = Math.min(geometry.height(), lines.size() * lineHeight + 2 * margin);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, w, h);
            g.setColor(TEXT);
            g.setFont(font);
            // no anti-aliasing: every pixel is either text or background, on any pixel depth
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            int y = margin + fm.getAscent();
            for (String line : lines) {
                g.drawString(line, margin, y);
                y += lineHeight;
            }
        } finally {
            g.dispose();
        }
        write(img);
        return h;
    }

    /** Copies an image to the top rows of the device in its pixel format. */
    private void write(BufferedImage img) throws IOException {
        int bpp = geometry.bytesPerPixel();
        int[] rgb = new int[img.getWidth()];
        ByteBuffer row = ByteBuffer.allocate(img.getWidth() * bpp);
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            for (int y = 0; y < img.getHeight(); y++) {
                img.getRGB(0, y, rgb.length, 1, rgb, 0, rgb.length);
                row.clear();
                for (int p : rgb) {
                    encode(p, bpp, row);
                }
                row.flip();
                long at = (long) y * geometry.stride();
                while (row.hasRemaining()) {
                    at += ch.write(row, at);
                }
            }
        }
    }

    private static void encode(int rgb, int bpp, ByteBuffer out) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        switch (bpp) {
            case 4:
                out.put((byte) b).put((byte) g).put((byte) r).put((byte) 0xFF);
                break;
            case 3:
                out.put((byte) b).put((byte) g).put((byte) r);
                break;
            default:
                int v = ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3);
                out.put((byte) v).put((byte) (v >> 8));
                break;
        }
    }

    /**
     * The screen as an image (what a screenshot tool or a test compares): every pixel read back
     * from the device and widened to 24-bit RGB.
     */
    public BufferedImage snapshot() throws IOException {
        int w = geometry.width();
        int bpp = geometry.bytesPerPixel();
        BufferedImage img = new BufferedImage(w, geometry.height(), BufferedImage.TYPE_INT_RGB);
        ByteBuffer row = ByteBuffer.allocate(w * bpp);
        int[] rgb = new int[w];
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            for (int y = 0; y < geometry.height(); y++) {
                row.clear();
                long at = (long) y * geometry.stride();
                while (row.hasRemaining()) {
                    int n = ch.read(row, at + row.position());
                    if (n <= 0) {
                        break; // a short device reads as black beyond its end
                    }
                }
                while (row.hasRemaining()) {
                    row.put((byte) 0);
                }
                for (int x = 0; x < w; x++) {
                    rgb[x] = decode(row, x * bpp, bpp);
                }
                img.setRGB(0, y, w, 1, rgb, 0, w);
            }
        }
        return img;
    }

    private static int decode(ByteBuffer row, int at, int bpp) {
        if (bpp >= 3) {
            int b = row.get(at) & 0xFF;
            int g = row.get(at + 1) & 0xFF;
            int r = row.get(at + 2) & 0xFF;
            return (r << 16) | (g << 8) | b;
        }
        int v = (row.get(at) & 0xFF) | ((row.get(at + 1) & 0xFF) << 8);
        int r = (v >> 11) & 0x1F;
        int g = (v >> 5) & 0x3F;
        int b = v & 0x1F;
        return ((r << 3 | r >> 2) << 16) | ((g << 2 | g >> 4) << 8) | (b << 3 | b >> 2);
    }
}
