package dev.rayos.harness;

/**
 * Reads the console line by line and says when the guest has crashed. One instance per
 * boot, fed on the console reader thread. The kernel crash text itself is parsed by the
 * crash library's scanner; this is the seam the machine uses to consult it.
 */
public interface CrashWatch {
    /** Never sees a crash (the machine then relies on QMP {@code GUEST_PANICKED} alone). */
    CrashWatch NONE = line -> false;

    /**
     * @param line one console line without its end
     * @return true once the console shows the guest has crashed (a panic has begun)
     */
    boolean onLine(String line);
}
