/**
 * rayos-slf4j: the SLF4J 2 provider that writes SLF4J's calls into RayOS logs. SLF4J finds it by
 * {@code provides} on the module path and by META-INF/services/org.slf4j.spi.SLF4JServiceProvider
 * on the class path (the shaded rayos.jar, and programs run with it there); keep both. The one
 * package is exported for {@link dev.rayos.slf4j.RayosSlf4j#use}, which points the provider at a
 * LogSystem the program already opened; the logger, its factory, the MDC and the message text are
 * package-private. SLF4J instantiates the provider through ServiceLoader, which needs no opens.
 */
module dev.rayos.slf4j {
    requires transitive dev.rayos.log; // RayosSlf4j.use takes a LogSystem
    requires transitive org.slf4j; // RayosServiceProvider is an SLF4JServiceProvider

    exports dev.rayos.slf4j;

    provides org.slf4j.spi.SLF4JServiceProvider with dev.rayos.slf4j.RayosServiceProvider;
}
