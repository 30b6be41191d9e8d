/**
 * rayos-cli: the {@code rayos} command. It exports nothing: no other module links it; it is run,
 * as the shaded rayos.jar on the class path (./rayos, the guest image), where this descriptor is
 * left out of the jar. On a module path it would start with {@code -m dev.rayos.cli/dev.rayos.cli.Main}.
 *
 * <p>Opened to picocli only: picocli reads the commands' annotations and sets their
 * {@code @Option}/{@code @Parameters}/{@code @ParentCommand} fields by reflection, and makes the
 * (package-private) command classes. The command model that CommandModel reads at start is this
 * module reading itself. jackson-jr writes only maps and lists here, so it needs no opens. The
 * tests run on the class path (the parent pom's surefire/failsafe), so JUnit, jqwik and AssertJ
 * need none either.
 *
 * <p>Not required though shipped: rayos-slf4j (in the jar for Java programs that log through
 * SLF4J; no code here calls it) and jline-terminal-jni (JLine loads its terminal provider by name).
 */
module dev.rayos.cli {
    requires dev.rayos.log;
    requires dev.rayos.bridges;
    requires dev.rayos.harness;
    requires dev.rayos.machine;
    requires dev.rayos.recovery;
    requires com.fasterxml.jackson.jr.ob; // --json output
    requires info.picocli;
    requires org.jline.terminal; // rayos recovery's full-screen console (automatic module, named in its manifest)
    requires org.jline.reader;
    requires org.jfree.svg; // rayos status --plot FILE.svg
    requires java.desktop; // the plot's Java2D and PNG (ImageIO)

    opens dev.rayos.cli to info.picocli;
}
