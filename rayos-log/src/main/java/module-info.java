/**
 * rayos-log: the logging, crash-capture and boot-history library every RayOS component links
 * (ARCHITECTURE.md). The exported packages are its API; {@code dev.rayos.log.ring}, the ring's
 * byte layout and live file, is the one package only the library itself uses (the store drains
 * it, crash reports read their last lines from it), so it stays inside.
 */
module dev.rayos.log {
    requires com.fasterxml.jackson.core; // the history is read with its streaming parser (boot.JsonTree)
    requires com.fasterxml.jackson.jr.ob;
    requires java.desktop; // the framebuffer banner draws its text with AWT's fonts (headless)

    exports dev.rayos.log;
    exports dev.rayos.log.boot;
    exports dev.rayos.log.console;
    exports dev.rayos.log.crash;
    exports dev.rayos.log.line;
    exports dev.rayos.log.policy;
    exports dev.rayos.log.read;
    exports dev.rayos.log.root;
    exports dev.rayos.log.status;
    exports dev.rayos.log.store;
    exports dev.rayos.log.time;
}
