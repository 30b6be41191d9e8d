package dev.rayos.machine.image;

import dev.rayos.machine.agent.AgentExit;
import dev.rayos.machine.disk.FsckOutcome;

/**
 * The image's {@code /init}: busybox as PID 1. It mounts what the agent needs and starts it; it arms
 * nothing itself (the agent owns the watchdog), and it turns the agent's end into a reboot or a
 * power-off. Boot modes come from the kernel line ({@code rayos.mode=normal|safe|recovery}).
 *
 * <ul>
 *   <li>The i6300esb watchdog driver is loaded with the heartbeat given here: the agent cannot set
 *       it (Java has no ioctl), so it reads it back from sysfs and feeds faster than that.</li>
 *   <li>The data partition is checked with {@code e2fsck -p} before it is mounted ({@link #dataCheck()}).
 *       Clean or corrected, it is mounted; errors left (or no check at all) leave it unmounted and
 *       make the boot a recovery boot in RAM ({@code /run/rayos/mode}), rather than mount a damaged
 *       file system read-write; a reboot e2fsck asks for is done, except in a recovery boot.</li>
 *   <li>Partitions are found by filesystem label ({@code RAYOS_DATA}, {@code RAYOS_ESP}), not by
 *       device name, so the disk may be virtio, SATA or NVMe.</li>
 *   <li>{@code reboot}, {@code halt} and {@code poweroff} from a shell signal PID 1 (TERM, USR1,
 *       USR2); the script passes SIGTERM to the agent, which ends the boot cleanly, then acts.</li>
 *   <li>Agent exit 10 means reboot (a failed boot), 11 power off; an agent that dies otherwise
 *       reboots the machine, and since it never blessed the entry, the try counts as failed.</li>
 * </ul>
 */
final class InitScript {
    private InitScript() {}

    /**
     * The data partition's check before it is mounted, as busybox {@code sh} functions:
     * {@code data_check DEVICE DIR} runs {@code e2fsck -p DEVICE} (as fsck does at boot: a file
     * system marked clean is not read through; one the kernel marked with errors, or not cleanly
     * unmounted, is), writes {@code DIR/data-check} ({@code STATUS START END}, the exit status and
     * {@code /proc/uptime} before and after) and {@code DIR/data-check.out} (e2fsck's output), and
     * prints the outcome ({@link FsckOutcome#shellFunction()}). The agent logs them
     * ({@code RAYOS_DATA_CHECK}). {@code keep_ram_logs DEVICE}: at the end of a boot that ran in RAM
     * because the check left errors, once the partition checks clean (repaired in the recovery
     * console), the boot's log is copied onto it, to {@code crash/preserved/logs/}, where a factory
     * reset keeps the log of a boot that is not in the history.
     */
    static String dataCheck() {
        return FsckOutcome.shellFunction() + """
                data_check() {
                  read t0 rest </proc/uptime
                  e2fsck -p "$1" >"$2/data-check.out" 2>&1
                  rc=$?
                  read t1 rest </proc/uptime
                  echo "$rc $t0 $t1" >"$2/data-check"
                  fsck_outcome $rc
                }
                keep_ram_logs() {
                  e2fsck -p "$1" >/dev/null 2>&1
                  case $(fsck_outcome $?) in clean|corrected) ;; *) return 1 ;; esac
                  mkdir -p /run/rayos/data && mount -t ext4 -o noatime "$1" /run/rayos/data || return 1
                  mkdir -p /run/rayos/data/crash/preserved && cp -a /var/rayos/logs /run/rayos/data/crash/preserved/
                  find /run/rayos/data/crash/preserved/logs -name .lock -type f -exec rm -f {} ';'
                  sync
                  umount /run/rayos/data
                }
                """;
    }

    static String text(int heartbeatSeconds, String javaOptions) {
        return """
                #!/bin/busybox sh
                # RayOS PID 1, written by `rayos image build` (docs/boot-and-recovery.md).
                /bin/busybox mount -t devtmpfs devtmpfs /dev
                /bin/busybox mount -t proc proc /proc
                /bin/busybox mount -t sysfs sysfs /sys
                /bin/busybox --install -s /bin
                read init_up rest </proc/uptime
                export PATH=/bin:/usr/sbin:/opt/rayos/jre/bin HOME=/root
                exec </dev/console >/dev/console 2>&1
                mount -t tmpfs -o mode=0755 tmpfs /run
                mkdir -p /run/rayos /dev/pts && mount -t devpts devpts /dev/pts
                echo "$init_up" > /run/rayos/init-uptime
                for m in $(cat /lib/modules/load-order); do
                  case $m in
                    i6300esb.ko) insmod /lib/modules/$m heartbeat=@HEARTBEAT@ 2>/dev/null ;;
                    *) insmod /lib/modules/$m 2>/dev/null ;;
                  esac
                done
                mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
                mount -t pstore pstore /sys/fs/pstore 2>/dev/null
                mode=normal
                for w in $(cat /proc/cmdline); do case $w in rayos.mode=*) mode=${w#rayos.mode=} ;; esac; done
                @DATA_CHECK@
                i=0
                while ! findfs LABEL=RAYOS_DATA >/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
                data=$(findfs LABEL=RAYOS_DATA 2>/dev/null)
                esp=$(findfs LABEL=RAYOS_ESP 2>/dev/null)
                mkdir -p /var/rayos /efi
                mounted=
                if [ -n "$data" ]; then
                  echo "$data" > /run/rayos/data-device
                  outcome=$(data_check "$data" /run/rayos)
                  echo "rayos-init: e2fsck -p $data: $outcome (exit $(cut -d' ' -f1 /run/rayos/data-check))"
                  case $outcome in
                    clean|corrected) mount -t ext4 -o noatime "$data" /var/rayos && mounted=1 ;;
                    reboot)
                      if [ "$mode" != recovery ]; then echo "rayos-init: rebooting, as e2fsck asks"; sync; reboot -f; sleep 5; fi
                      mount -t ext4 -o noatime "$data" /var/rayos && mounted=1 ;;
                    *)
                      echo "rayos-init: the data partition is left unmounted (its errors need e2fsck -y:" \
                        "rayos repair in the recovery console); this boot is a recovery boot in RAM"
                      mode=recovery
                      echo recovery > /run/rayos/mode ;;
                  esac
                fi
                [ -n "$mounted" ] || echo "rayos-init: the data partition (LABEL=RAYOS_DATA) is not mounted; logs stay in RAM"
                [ -n "$esp" ] && mount -t vfat -o noatime,flush "$esp" /efi
                want=
                read up rest </proc/uptime; echo "$up" > /run/rayos/agent-exec-uptime
                /opt/rayos/jre/bin/java @JAVA_OPTIONS@ -jar /opt/rayos/rayos.jar --root / agent &
                agent=$!
                trap 'want=reboot; kill -TERM $agent 2>/dev/null' TERM
                trap 'want=poweroff; kill -TERM $agent 2>/dev/null' USR1 USR2
                if [ "$mode" != recovery ]; then
                  ( while :; do setsid cttyhack sh -l; sleep 1; done ) </dev/console >/dev/console 2>&1 &
                fi
                rc=0
                while kill -0 $agent 2>/dev/null; do wait $agent; rc=$?; done
                case "$rc" in
                  @EXIT_REBOOT@) act=reboot ;;
                  @EXIT_POWEROFF@) act=poweroff ;;
                  *) act=${want:-reboot} ;;
                esac
                echo "rayos-init: agent ended ($rc): $act"
                if [ -z "$mounted" ] && [ -n "$data" ] && keep_ram_logs "$data"; then
                  echo "rayos-init: the data partition is repaired: this boot's log is kept in crash/preserved/logs"
                fi
                sync
                umount /efi 2>/dev/null || mount -o remount,ro /efi 2>/dev/null
                umount /var/rayos 2>/dev/null || mount -o remount,ro /var/rayos 2>/dev/null
                sync
                if [ $act = poweroff ]; then poweroff -f; else reboot -f; fi
                """.replace("@DATA_CHECK@\n", dataCheck())
                .replace("@HEARTBEAT@", Integer.toString(heartbeatSeconds))
                .replace("@JAVA_OPTIONS@", javaOptions)
                .replace("@EXIT_REBOOT@", Integer.toString(AgentExit.REBOOT))
                .replace("@EXIT_POWEROFF@", Integer.toString(AgentExit.POWEROFF));
    }
}
