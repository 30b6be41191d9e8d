package dev.rayos.machine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ImageSpecTest {
    @Test
    void aComponentArgumentNamesTheComponentItsFileAndWhetherItIsSafe() {
        ImageSpec.Source s = ImageSpec.parseComponent("store=/opt/build/store.sh:safe");
        assertThat(s.component().name()).isEqualTo("store");
        assertThat(s.component().safe()).isTrue();
        assertThat(s.file()).isEqualTo(Path.of("/opt/build/store.sh"));
        ImageSpec.Source n = ImageSpec.parseComponent("web=bin/web=x");
        assertThat(n.component().safe()).isFalse();
        assertThat(n.file()).isEqualTo(Path.of("bin/web=x"));
    }

    @Test
    void aComponentArgumentWithoutNameOrPathSaysWhatItWants() {
        for (String a : new String[] {"store", "=x", "store=", "store=:safe", "../x=/bin/true", "Store=/x"}) {
            assertThatThrownBy(() -> ImageSpec.parseComponent(a)).as(a).isInstanceOf(IllegalArgumentException.class)
                    .message().isNotBlank();
        }
        assertThatThrownBy(() -> ImageSpec.parseComponent("store=")).hasMessage("--component wants NAME=PATH[:safe], not 'store='");
        assertThatThrownBy(() -> ImageSpec.parseComponent("store=:safe")).hasMessage("--component wants NAME=PATH[:safe], not 'store=:safe'");
    }

    @Test
    void sizesReadAsBinaryUnitsOrBytes() {
        assertThat(ImageSpec.parseSize("1G")).isEqualTo(1L << 30);
        assertThat(ImageSpec.parseSize("1GiB")).isEqualTo(1L << 30);
        assertThat(ImageSpec.parseSize("768M")).isEqualTo(768L << 20);
        assertThat(ImageSpec.parseSize("512m")).isEqualTo(512L << 20);
        assertThat(ImageSpec.parseSize("4096")).isEqualTo(4096);
        assertThat(ImageSpec.parseSize("1T")).isEqualTo(1L << 40);
        for (String s : new String[] {"", "G", "0", "-1G", "1.5G", "2T", "1X", "one", "99999999999999999999", "1 G B"}) {
            assertThatThrownBy(() -> ImageSpec.parseSize(s)).as(s).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("is not a size (like 1G, 768M)");
        }
    }

    @Property(tries = 3000)
    void hostileComponentArgumentsAnswerIllegalArgumentWithAMessageOnly(@ForAll("args") String a) {
        try {
            ImageSpec.Source s = ImageSpec.parseComponent(a);
            assertThat(s.component().name()).matches("[a-z][a-z0-9_-]{0,31}");
            assertThat(s.file().toString()).isNotEmpty();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 3000)
    void hostileSizesAnswerIllegalArgumentOrAPositiveSizeOfAtMostATebibyte(@ForAll("sizes") String s) {
        try {
            assertThat(ImageSpec.parseSize(s)).isBetween(1L, 1L << 40);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> args() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().withChars("ab=:/.\0 safe").ofMaxLength(20),
                Arbitraries.strings().ofMaxLength(10).map(s -> "a=" + s),
                Arbitraries.strings().ofMaxLength(10).map(s -> s + "=/bin/true:safe"));
    }

    @Provide
    Arbitrary<String> sizes() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withChars("0123456789KMGTiBb+- .").ofMaxLength(24),
                Arbitraries.longs().map(l -> l + "G"), Arbitraries.longs().map(l -> Long.toString(l)));
    }
}
