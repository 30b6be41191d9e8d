package dev.rayos.log.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.Panic;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramebufferTest {
    static final int W = 640;
    static final int H = 480;

    @TempDir
    Path root;

    /** A file-backed fbdev under the root: sysfs geometry files and a zeroed (black) device file. */
    private void fakeFramebuffer(int bpp, int stridePad) throws Exception {
        Path sys = root.resolve("sys/class/graphics/fb0");
        Files.createDirectories(sys);
        int stride = W * (bpp / 8) + stridePad;
        Files.writeString(sys.resolve("virtual_size"), W + "," + H + "\n");
        Files.writeString(sys.resolve("bits_per_pixel"), bpp + "\n");
        Files.writeString(sys.resolve("stride"), stride + "\n");
        Files.createDirectories(root.resolve("dev"));
        Files.write(root.resolve("dev/fb0"), new byte[stride * H]);
    }

    @ParameterizedTest(name = "{0} bpp")
    @ValueSource(ints = {32, 24, 16})
    void panicBannerIsDrawnOnTheFramebufferAndReadsBackAsAPng(int bpp) throws Exception {
        fakeFramebuffer(bpp, 64);
        RootLayout layout = new RootLayout(root);
        try (LogSystem sys = LogSystem.builder(layout).boot(BootId.random()).console(new ByteArrayOutputStream())
                .open()) {
            Panic.Outcome o = Panic.of(sys, "kernel").panic("display test panic");
            assertThat(o.problems()).isEmpty();
        }

        Framebuffer fb = Framebuffer.find(layout, "dev/fb0").orElseThrow();
        Path png = root.resolve("screen-" + bpp + ".png");
        ImageIO.write(fb.snapshot(), "png", png.toFile());
        BufferedImage img = ImageIO.read(png.toFile());

        assertThat(img.getWidth()).isEqualTo(W);
        assertThat(img.getHeight()).isEqualTo(H);
        int bannerBottom = 0;
        int text = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int p = img.getRGB(x, y) & 0xFFFFFF;
                if (p != 0) {
                    bannerBottom = y + 1;
                }
                if (p == 0xFFFFFF) {
                    text++;
                }
            }
        }
        int red = img.getRGB(0, 0) & 0xFFFFFF;
        assertThat(red >> 16).as("background red").isGreaterThan(0x70);
        assertThat(red & 0xFFFF).as("background green and blue").isZero();
        // six lines of text, drawn in white on the banner's rows; the rest of the screen untouched
        assertThat(text).isGreaterThan(1000);
        assertThat(bannerBottom).isBetween(60, H / 2);
        for (int row = 0; row < 6; row++) {
            int y0 = bannerBottom * row / 6;
            int y1 = bannerBottom * (row + 1) / 6;
            assertThat(whiteIn(img, y0, y1)).as("text in banner row " + row).isGreaterThan(20);
        }
    }

    private static int whiteIn(BufferedImage img, int y0, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void noDeviceOrNoneMeansNoFramebuffer() throws Exception {
        RootLayout layout = new RootLayout(root);
        assertThat(Framebuffer.find(layout, "dev/fb0")).isEmpty();
        assertThat(Framebuffer.find(layout, "none")).isEmpty();
        fakeFramebuffer(32, 0);
        assertThat(Framebuffer.find(layout, "none")).isEmpty();
        assertThat(Framebuffer.find(layout, "dev/fb0")).isPresent();
        assertThatThrownBy(() -> Framebuffer.find(layout, "../outside/fb0")).hasMessageContaining("outside the root");
    }

    @Test
    void policyNamesTheFramebufferDevice() throws Exception {
        assertThat(Policy.DEFAULTS.crashFramebuffer()).isEqualTo("dev/fb0");
        assertThat(Policy.parse("crash.framebuffer = /dev/fb1\n").crashFramebuffer()).isEqualTo("/dev/fb1");
        assertThat(Policy.parse("crash.framebuffer = none").crashFramebuffer()).isEqualTo(Policy.NO_FRAMEBUFFER);
    }

    @Property
    void geometryAsSysfsPrintsItReadsBack(@ForAll @IntRange(min = 1, max = 16384) int w,
                                         @ForAll @IntRange(min = 1, max = 16384) int h,
                                         @ForAll @IntRange(min = 0, max = 2) int depth,
                                         @ForAll @IntRange(min = 0, max = 4096) int pad) {
        int bpp = new int[] {16, 24, 32}[depth];
        int stride = w * bpp / 8 + pad;
        Framebuffer.Geometry g = Framebuffer.Geometry.parse(w + "," + h + "\n", bpp + "\n", " " + stride + "\n");
        assertThat(g).isEqualTo(new Framebuffer.Geometry(w, h, bpp, stride));
    }

    @Property
    void geometryParserRejectsAnythingElseWithIllegalArgumentOnly(@ForAll String size, @ForAll String bpp,
                                                                @ForAll String stride) {
        try {
            Framebuffer.Geometry g = Framebuffer.Geometry.parse(size, bpp, stride);
            assertThat(g.stride()).isGreaterThanOrEqualTo(g.width() * g.bytesPerPixel());
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
