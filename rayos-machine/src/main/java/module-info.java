/**
 * rayos-machine: the RayOS machine itself: the agent that runs inside the guest ({@code agent}),
 * the image builder ({@code image}), the disk tools it drives ({@code disk}) and the boot entries
 * on the ESP ({@code entries}). Every package is exported: rayos-cli uses each ({@code rayos agent},
 * {@code rayos image}, {@code rayos boot-entries}) and rayos-recovery repairs the entries and disks.
 * Inside each, the parts (PreviousBoot, ComponentRunner, BootWatchdog, DiskWriter, InitScript,
 * Runtime, AgentCds, ...) are package-private.
 */
module dev.rayos.machine {
    requires transitive dev.rayos.log; // the agent's and the entries' API take RootLayout, BootId, Policy
    requires dev.rayos.bridges; // the agent starts the syslog listener and the forwarder
    requires dev.rayos.harness; // the image builder packs the guest kit (harness.guest)
    requires com.fasterxml.jackson.jr.ob; // image.json and the agent's state (maps only)

    exports dev.rayos.machine.agent;
    exports dev.rayos.machine.disk;
    exports dev.rayos.machine.entries;
    exports dev.rayos.machine.image;
}
