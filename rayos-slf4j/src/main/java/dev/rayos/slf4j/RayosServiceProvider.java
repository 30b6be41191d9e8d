package dev.rayos.slf4j;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 provider that logs through rayos-log ({@code docs/bridges.md}, "SLF4J"): found by
 * SLF4J through {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}, as slf4j-simple is.
 * Which log system it writes to: the one given to {@link RayosSlf4j#use}, else one opened on first
 * use for the machine at {@code -Drayos.root}, {@code $RAYOS_ROOT} or {@code /}.
 */
public final class RayosServiceProvider implements SLF4JServiceProvider {
    /** The SLF4J API version this provider is written for. */
    public static final String REQUESTED_API_VERSION = "2.0.99";

    private RayosLoggerFactory loggerFactory;
    private IMarkerFactory markerFactory;
    private RayosMdc mdc;

    /** Made by SLF4J through ServiceLoader (module-info's provides, or the services file on the class path). */
    public RayosServiceProvider() {}

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return REQUESTED_API_VERSION;
    }

    @Override
    public void initialize() {
        mdc = new RayosMdc();
        markerFactory = new BasicMarkerFactory();
        loggerFactory = new RayosLoggerFactory(mdc);
    }
}
