package dev.rayos.machine.disk;

import java.util.Locale;

/**
 * What an exit status of {@code e2fsck} means, as e2fsck(8) documents it. The status is a sum of
 * 1 (errors corrected), 2 (errors corrected, the system should be rebooted), 4 (errors left
 * uncorrected), 8 (operational error), 16 (usage error), 32 (cancelled), 128 (shared-library
 * error); the highest one present decides. The one home of this reading: the image's {@code /init}
 * runs {@link #shellFunction()}, {@code rayos repair} and the boot agent call {@link #of}.
 */
public enum FsckOutcome {
    /** 0: no errors. */
    CLEAN(0, "no errors"),
    /** 1: errors found and corrected. */
    CORRECTED(1, "errors corrected"),
    /** 2 or 3: errors corrected; e2fsck asks for a reboot (it says so only of a mounted root). */
    REBOOT(2, "errors corrected, and e2fsck asks for a reboot"),
    /** 4 to 7: errors left uncorrected (in preen mode: they need a person, e2fsck -y or by hand). */
    UNCORRECTED(4, "errors left uncorrected"),
    /** 8 and above (or no status at all): the check did not run through; the state is unknown. */
    FAILED(8, "e2fsck could not check it (operational error, usage error, cancelled or library error)");

    private final int lowest;
    private final String meaning;

    FsckOutcome(int lowest, String meaning) {
        this.lowest = lowest;
        this.meaning = meaning;
    }

    /** The outcome of exit status {@code exit}; anything outside 0..255 (a process killed) is FAILED. */
    public static FsckOutcome of(int exit) {
        if (exit < 0 || exit > 255) {
            return FAILED;
        }
        FsckOutcome out = CLEAN;
        for (FsckOutcome o : values()) {
            if (exit >= o.lowest) {
                out = o;
            }
        }
        return out;
    }

    /** The word logged and written by /init: {@code clean}, {@code corrected}, {@code reboot}, … */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What it means, for a person. */
    public String meaning() {
        return meaning;
    }

    /** True when the file system may be mounted read-write after it: no error is left. */
    public boolean mountable() {
        return this == CLEAN || this == CORRECTED || this == REBOOT;
    }

    /**
     * A busybox {@code sh} function, {@code fsck_outcome STATUS}, that prints {@link #id()} of
     * {@link #of}{@code (STATUS)}: the same reading in the image's {@code /init}.
     */
    public static String shellFunction() {
        // a status that is not a number (never from $?) is no check at all
        StringBuilder b = new StringBuilder("fsck_outcome() {\n  case $1 in ''|*[!0-9]*) echo ")
                .append(FAILED.id()).append("; return ;; esac\n");
        FsckOutcome[] all = values();
        for (int i = all.length - 1; i >= 1; i--) {
            b.append(i == all.length - 1 ? "  if" : "  elif").append(" [ \"$1\" -ge ").append(all[i].lowest)
                    .append(" ]; then echo ").append(all[i].id()).append('\n');
        }
        b.append("  else echo ").append(all[0].id()).append("; fi\n}\n");
        return b.toString();
    }
}
