package dev.rayos.cli.recovery;

import java.util.List;

/** What the console logs: its ready marker and each action's outcome ({@code docs/recovery.md}). */
public interface RecoveryEvents {
    /** {@code RAYOS_RECOVERY_READY}: every terminal accepts input. */
    void ready(List<String> terminals);

    /**
     * {@code RAYOS_RECOVERY_ACTION action=<id> result=<result>}: result is {@code ok}, {@code failed}
     * (exit code not 0), {@code bad-input}, {@code cancelled} or {@code busy}; {@code exit} is the
     * command's exit code, or -1 when none ran.
     */
    void action(String id, String result, int exit, String terminal);
}
