package dev.rayos.bridges.forward;

import dev.rayos.log.root.RootLayout;
import java.net.URI;
import java.nio.file.Path;

/** A forwarder in a JVM of its own, for the tests that SIGKILL it: {@code ROOT TARGET}; runs until killed. */
final class ForwarderChild {
    private ForwarderChild() {}

    public static void main(String[] args) throws Exception {
        RootLayout layout = new RootLayout(Path.of(args[0]));
        ForwardLoop loop = ForwardLoop.start(layout, ForwardConfig.of(URI.create(args[1]), null, "child"), null, "forward", 20);
        System.out.println("forwarding");
        System.out.flush();
        loop.await();
    }
}
