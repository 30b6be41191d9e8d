package dev.rayos.machine.agent;

import dev.rayos.log.root.RootLayout;
import java.nio.file.Path;

/** {@code rayos agent} on a test root, in a child JVM: the recovery console logs one line and powers off. */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) throws Exception {
        int code = Agent.run(new RootLayout(Path.of(args[0])), sys -> {
            sys.logger("recovery").notice("TEST_RECOVERY_CONSOLE").log();
            return AgentExit.POWEROFF;
        });
        System.exit(code);
    }
}
