package dev.rayos.log.ring;

import static dev.rayos.log.ring.RingFormat.CATEGORY_NAME_BYTES;
import static dev.rayos.log.ring.RingFormat.MAX_CATEGORIES;

import java.nio.charset.StandardCharsets;

/**
 * A live ring's category table: the names its records' category bytes index, mirrored in the
 * file's header so that recovery can name them. Entry 0 is {@code boot}. Loggers add entries
 * rarely, so the table has its own monitor rather than the ring's lock; a record is appended only
 * after its category's entry was written, and the ring's lock publishes both to the drainer.
 */
final class RingCategories {
    private final RingFile file;
    private final String[] names = new String[MAX_CATEGORIES];

    RingCategories(RingFile file) {
        this.file = file;
        names[0] = "boot"; // the file's table starts with it
    }

    /** The index of {@code category}, added when new. */
    synchronized int indexOf(String category) {
        for (int i = 0; i < MAX_CATEGORIES; i++) {
            if (names[i] == null) {
                byte[] name = category.getBytes(StandardCharsets.US_ASCII);
                if (name.length > CATEGORY_NAME_BYTES) {
                    throw new IllegalArgumentException("category name over 32 bytes");
                }
                file.categoryName(i, name);
                names[i] = category;
                return i;
            }
            if (names[i].equals(category)) {
                return i;
            }
        }
        throw new IllegalStateException("more than " + MAX_CATEGORIES + " categories in one ring");
    }

    /** The name at {@code index}: {@code boot} for an index outside the table or not yet given. */
    String name(int index) {
        String c = index >= 0 && index < MAX_CATEGORIES ? names[index] : null;
        return c == null ? "boot" : c;
    }
}
