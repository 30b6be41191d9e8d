package dev.rayos.log.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.RootLayout;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The framebuffer pixel by pixel: a regular file as the device (as {@code /dev/fb0} is written, at
 * {@code y * stride}), its geometry as sysfs gives it, and what a screenshot of it shows.
 */
class FramebufferPixelsTest {
    static final int W = 640;
    static final int H = 480;
    static final int PAD = 64;
    static final int DARK_RED = 0x800000;

    @TempDir
    Path root;

    /** A device under the root, every byte {@code fill}, with its sysfs geometry. */
    private Framebuffer device(int bpp, byte fill, int length) throws Exception {
        Path sys = root.resolve("sys/class/graphics/fb0");
        Files.createDirectories(sys);
        int stride = stride(bpp);
        Files.writeString(sys.resolve("virtual_size"), W + "," + H + "\n");
        Files.writeString(sys.resolve("bits_per_pixel"), bpp + "\n");
        Files.writeString(sys.resolve("stride"), stride + "\n");
        Files.createDirectories(root.resolve("dev"));
        byte[] b = new byte[length];
        Arrays.fill(b, fill);
        Files.write(root.resolve("dev/fb0"), b);
        return Framebuffer.find(new RootLayout(root), "dev/fb0").orElseThrow();
    }

    private static int stride(int bpp) {
        return W * bpp / 8 + PAD;
    }

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void theFoundFramebufferIsTheNamedDeviceWithItsSysfsGeometry() throws Exception {
        Framebuffer fb = device(32, (byte) 0, stride(32) * H);
        assertThat(fb.device()).isEqualTo(root.resolve("dev/fb0"));
        assertThat(fb.geometry()).isEqualTo(new Framebuffer.Geometry(W, H, 32, W * 4 + PAD));
    }

    @ParameterizedTest(name = "{0} bpp")
    @ValueSource(ints = {32, 24, 16})
    void theBannerIsDarkRedAndWhiteOnlyExactlyAsHighAsItSaysAndTheRestOfTheScreenIsLeftAlone(int bpp)
            throws Exception {
        Framebuffer fb = device(bpp, (byte) 0x42, stride(bpp) * H);
        int h = fb.drawBanner(List.of("RAYOS PANIC", "kernel: display test", "see rayos crash show"));
        BufferedImage img = fb.snapshot();
        int red = bpp == 16 ? 0x840000 : DARK_RED; // RGB565 keeps 5 bits of red: 0x80 reads back as 0x84
        int white = 0xFFFFFF;
        assertThat(rgb(img, 0, 0)).as("background").isEqualTo(red);
        assertThat(rgb(img, W - 1, h - 1)).as("the banner's last row").isEqualTo(red);
        int text = 0;
        int below = rgb(img, 0, H - 1);
        List<String> wrong = new java.util.ArrayList<>();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int p = rgb(img, x, y);
                if (y < h ? p != red && p != white : p != below) { // the banner: no anti-aliasing
                    wrong.add(x + "," + y + ": " + Integer.toHexString(p));
                }
                text += y < h && p == white ? 1 : 0;
            }
        }
        assertThat(wrong).as("pixels neither background nor text in the banner, or changed below it").isEmpty();
        assertThat(text).isGreaterThan(300);
        assertThat(rgb(img, 0, H - 1)).isNotIn(red, white, 0);
        // the bytes past each row's pixels (the stride's padding) are the device's, untouched
        byte[] dev = Files.readAllBytes(fb.device());
        int touched = 0;
        for (int y = 0; y < H; y++) {
            for (int i = W * bpp / 8; i < stride(bpp); i++) {
                touched += dev[y * stride(bpp) + i] != 0x42 ? 1 : 0;
            }
        }
        assertThat(touched).as("padding bytes written").isZero();
    }

    @Test
    void anEmptyBannerIsItsMarginsAndEachLineAddsOneLineHeight() throws Exception {
        Framebuffer fb = device(32, (byte) 0, stride(32) * H);
        // 640x480: a 12-pixel font, so margins of 6 above and below
        assertThat(fb.drawBanner(List.of())).isEqualTo(12);
        int one = fb.drawBanner(List.of("a"));
        int two = fb.drawBanner(List.of("a", "b"));
        int three = fb.drawBanner(List.of("a", "b", "c"));
        int lineHeight = one - 12;
        assertThat(lineHeight).isBetween(12, 24);
        assertThat(two).isEqualTo(12 + 2 * lineHeight);
        assertThat(three).isEqualTo(12 + 3 * lineHeight);
        String[] many = new String[100];
        Arrays.fill(many, "line");
        assertThat(fb.drawBanner(List.of(many))).as("cut at the screen's height").isEqualTo(H);
    }

    @Test
    void theBannerIsMonospacedSoColumnsOfRegistersLineUp() throws Exception {
        Framebuffer fb = device(32, (byte) 0, stride(32) * H);
        int h = fb.drawBanner(List.of("i".repeat(40), "W".repeat(40)));
        BufferedImage img = fb.snapshot();
        int lineHeight = (h - 12) / 2;
        int narrow = rightmostWhite(img, 6, 6 + lineHeight);
        int wide = rightmostWhite(img, 6 + lineHeight, 6 + 2 * lineHeight);
        assertThat(narrow).isGreaterThan(200);
        assertThat(Math.abs(wide - narrow)).as("40 i's end where 40 W's do").isLessThan(8);
    }

    private static int rightmostWhite(BufferedImage img, int y0, int y1) {
        int right = -1;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (rgb(img, x, y) == 0xFFFFFF) {
                    right = Math.max(right, x);
                }
            }
        }
        return right;
    }

    @Test
    void aScreenshotShowsEachPixelWhereTheDeviceHoldsIt() throws Exception {
        Framebuffer fb = device(32, (byte) 0, stride(32) * H);
        byte[] dev = Files.readAllBytes(fb.device());
        for (int x = 0; x < W; x++) { // row 1: XRGB8888, little-endian, blue = x, green = x / 256
            int at = stride(32) + 4 * x;
            dev[at] = (byte) x;
            dev[at + 1] = (byte) (x >> 8);
            dev[at + 2] = (byte) 0x11;
        }
        Files.write(fb.device(), dev);
        BufferedImage img = fb.snapshot();
        for (int x = 0; x < W; x++) {
            assertThat(rgb(img, x, 1)).as("pixel %d", x).isEqualTo(0x110000 | x);
            assertThat(rgb(img, x, 0)).isZero();
        }
    }

    @Test
    void aDeviceShorterThanTheScreenReadsAsBlackBeyondItsEnd() throws Exception {
        int stride = stride(32);
        int cutRow = 10;
        int cutPixel = 100;
        Framebuffer fb = device(32, (byte) 0x33, cutRow * stride + 4 * cutPixel);
        BufferedImage img = fb.snapshot();
        assertThat(rgb(img, W - 1, cutRow - 1)).isEqualTo(0x333333);
        assertThat(rgb(img, cutPixel - 1, cutRow)).isEqualTo(0x333333);
        for (int x = cutPixel; x < W; x++) {
            assertThat(rgb(img, x, cutRow)).as("pixel %d of the row the device ends in", x).isZero();
        }
        assertThat(rgb(img, 0, cutRow + 1)).isZero();
        assertThat(rgb(img, W - 1, H - 1)).isZero();
    }

    @Test
    void aStrideOfExactlyOneRowsPixelsIsTakenAndOneByteLessIsRefused() {
        assertThat(new Framebuffer.Geometry(W, H, 32, W * 4).stride()).isEqualTo(W * 4);
        assertThat(new Framebuffer.Geometry(W, H, 16, W * 2).bytesPerPixel()).isEqualTo(2);
        assertThatThrownBy(() -> new Framebuffer.Geometry(W, H, 32, W * 4 - 1))
                .hasMessage("framebuffer stride 2559 does not fit 640 pixels of 32 bits");
        assertThat(new Framebuffer.Geometry(1, 1, 32, 1 << 20).stride()).isEqualTo(1 << 20);
        assertThatThrownBy(() -> new Framebuffer.Geometry(1, 1, 32, (1 << 20) + 1))
                .hasMessage("framebuffer stride 1048577 does not fit 1 pixels of 32 bits");
    }

    @Test
    void sysfsTextsThatAreNoGeometryAreRefusedSayingWhichAndWhat() {
        assertThatThrownBy(() -> Framebuffer.Geometry.parse(",480", "32", "2560"))
                .hasMessage("width is not a number: ''");
        assertThatThrownBy(() -> Framebuffer.Geometry.parse("640 480", "32", "2560"))
                .hasMessage("virtual_size is not 'width,height': '640 480'");
        assertThatThrownBy(() -> Framebuffer.Geometry.parse("640,48O", "32", "2560"))
                .hasMessage("height is not a number: '48O'");
        assertThatThrownBy(() -> Framebuffer.Geometry.parse("640,480", "32", "-2560"))
                .hasMessage("stride is not a number: '-2560'");
        // nine digits are a number (and too large a screen); ten are not read as one
        assertThatThrownBy(() -> Framebuffer.Geometry.parse("123456789,480", "32", "2560"))
                .hasMessage("framebuffer size 123456789x480 outside 1..16384");
        assertThatThrownBy(() -> Framebuffer.Geometry.parse("1234567890,480", "32", "2560"))
                .hasMessage("width is not a number: '1234567890'");
        String forty = "x".repeat(40);
        assertThatThrownBy(() -> Framebuffer.Geometry.parse(forty, "32", "2560"))
                .hasMessage("virtual_size is not 'width,height': '" + forty + "'");
        assertThatThrownBy(() -> Framebuffer.Geometry.parse(forty + "y", "32", "2560"))
                .hasMessage("virtual_size is not 'width,height': '" + forty + "…'");
        assertThatThrownBy(() -> Framebuffer.Geometry.parse("640,480", "3\u00072", "2560"))
                .hasMessage("bits_per_pixel is not a number: '3?2'");
    }
}
