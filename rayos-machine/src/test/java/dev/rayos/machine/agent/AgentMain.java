package dev.rayos.machine.agent;

import dev.rayos.log.root.RootLayout;
import java.nio.file.Path;

/** {@code rayos agent} on a test root, in a child JVM: the recovery console logs one line and powers off. */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) throws Exception {
        RootLayout layout = new RootLayout(Path.of(args[0]));
        int code = Agent.run(layout, () -> {
            // the agent's log system is closed while the console runs: the console logs through its own
            dev.rayos.log.boot.Boots boots = new dev.rayos.log.boot.Boots(layout, dev.rayos.log.time.LogClock.system());
            try (dev.rayos.log.LogSystem sys = dev.rayos.log.LogSystem.builder(layout).boot(boots.current().orElseThrow()).open()) {
                sys.logger("recovery").notice("TEST_RECOVERY_CONSOLE").log();
            }
            return AgentExit.POWEROFF;
        });
        System.exit(code);
    }
}
