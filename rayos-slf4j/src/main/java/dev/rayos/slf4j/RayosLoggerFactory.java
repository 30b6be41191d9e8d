package dev.rayos.slf4j;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One {@link RayosSlf4jLogger} per logger name. */
final class RayosLoggerFactory implements ILoggerFactory {
    private final ConcurrentHashMap<String, RayosSlf4jLogger> loggers = new ConcurrentHashMap<>();
    private final RayosMdc mdc;

    RayosLoggerFactory(RayosMdc mdc) {
        this.mdc = mdc;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new RayosSlf4jLogger(n, mdc));
    }
}
