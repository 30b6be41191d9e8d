/**
 * rayos-bridges: what carries lines into and out of a RayOS log root: the syslog listener
 * (syslog/) and the RFC 5424 forwarder (forward/). Both packages are exported: rayos-cli starts
 * them ({@code rayos serve}, {@code rayos forward}) and rayos-machine's agent runs them. Inside
 * each, only the entry points are public; the parsers, framers, cursors and streams are
 * package-private. Nothing here is read by reflection, so nothing is opened.
 */
module dev.rayos.bridges {
    // transitive: the public constructors take rayos-log's RootLayout, Logger, LogSystem, Policy
    requires transitive dev.rayos.log;

    exports dev.rayos.bridges.forward;
    exports dev.rayos.bridges.syslog;
}
