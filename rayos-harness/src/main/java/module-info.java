/**
 * rayos-harness: boots a RayOS image under QEMU and watches its serial console, QMP and host
 * bridge for the markers a test expects. All four packages are exported. The run's API
 * ({@code dev.rayos.harness}: HarnessRun, MachineConfig, Expectation, RunResult, JUnitReport) is
 * what {@code rayos harness} and {@code rayos vm} call, and Machine is the library's documented
 * way in (README, "Libraries": {@code Machine.boot(config)}); the guest kit ({@code guest}) is what
 * rayos-machine builds images with. {@code qmp} and {@code bridge} are exported because that API
 * names their types: {@code RunResult.qmpEvents}, {@code Machine.qmp()}, {@code Machine.acks()},
 * {@code MachineConfig.Builder.hostOps}. Inside the packages the parts (Qemu, Serial, Watchdog,
 * CrashWatch, Expectations) are package-private.
 */
module dev.rayos.harness {
    requires transitive dev.rayos.log; // MachineConfig and the events take RootLayout, Level, LogClock
    requires com.fasterxml.jackson.jr.ob; // QMP speaks JSON (maps only: no bean is read by reflection)
    requires java.xml; // JUnitReport writes its XML with StAX

    exports dev.rayos.harness;
    exports dev.rayos.harness.bridge;
    exports dev.rayos.harness.guest;
    exports dev.rayos.harness.qmp;
}
