/**
 * rayos-recovery: {@code rayos repair} (the checks and their fixes) and {@code rayos factory-reset}
 * (a journalled plan of idempotent steps). Its one package is exported for rayos-cli, which runs
 * both. {@code Check}, {@code RepairContext}, {@code FactoryReset.Step} and {@code ResetContext} stay
 * public: Repair.run and FactoryReset take lists of them, so a caller can add its own. The checks
 * themselves, the log directory views, the journal and the tools are package-private.
 */
module dev.rayos.recovery {
    requires transitive dev.rayos.log; // Repair and FactoryReset take a RootLayout, BootId
    requires dev.rayos.machine; // the boot-entry and filesystem checks (package-private) use its entries, agent paths, fsck

    exports dev.rayos.recovery;
}
