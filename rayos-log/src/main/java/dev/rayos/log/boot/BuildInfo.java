package dev.rayos.log.boot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version and build id of this build (spec §4.2: crash reports and boot history carry them). */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // An unreadable resource leaves the defaults below.
        }
        return p;
    }

    public static String version() {
        return PROPS.getProperty("version", "unknown");
    }

    public static String buildId() {
        return PROPS.getProperty("build_id", "unknown");
    }
}
