/**
 * rayos-harness: boots a RayOS image under QEMU and watches its serial console, QMP and host
 * bridge for the markers a test expects. Exported: the run's API ({@code dev.rayos.harness}:
 * HarnessRun, MachineConfig, Expectation, RunResult, JUnitReport, ...), which {@code rayos harness}
 * and {@code rayos vm} call; the guest kit ({@code guest}) that rayos-machine builds images
 * with; and {@code qmp}, because a run's result carries the QMP events QEMU sent
 * ({@code RunResult.qmpEvents}). The host bridge ({@code bridge}) is the harness's own part: only
 * the machine it boots uses it, so it stays inside ({@code MachineConfig.Builder.hostOps}, its one
 * door, is package-private). So are the machine, its console and what it awaits (Machine, Console,
 * Ending, Awaited, MachineStartException): HarnessRun is the way in.
 */
module dev.rayos.harness {
    requires transitive dev.rayos.log; // MachineConfig and the events take RootLayout, Level, LogClock
    requires com.fasterxml.jackson.jr.ob; // QMP speaks JSON (maps only: no bean is read by reflection)
    requires java.xml; // JUnitReport writes its XML with StAX

    exports dev.rayos.harness;
    exports dev.rayos.harness.guest;
    exports dev.rayos.harness.qmp;
}
