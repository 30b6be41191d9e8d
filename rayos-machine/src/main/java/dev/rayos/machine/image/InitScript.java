package dev.rayos.machine.image;

import dev.rayos.machine.agent.AgentExit;

/**
 * The image's {@code /init}: busybox as PID 1. It mounts what the agent needs and starts it; it arms
 * nothing itself (the agent owns the watchdog), and it turns the agent's end into a reboot or a
 * power-off. Boot modes come from the kernel line ({@code rayos.mode=normal|safe|recovery}).
 *
 * <ul>
 *   <li>The i6300esb watchdog driver is loaded with the heartbeat given here: the agent cannot set
 *       it (Java has no ioctl), so it reads it back from sysfs and feeds faster than that.</li>
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

    static String text(int heartbeatSeconds, String javaOptions) {
        return """
                #!/bin/busybox sh
                # RayOS PID 1, written by `rayos image build` (docs/boot-and-recovery.md).
                /bin/busybox mount -t devtmpfs devtmpfs /dev
                /bin/busybox mount -t proc proc /proc
                /bin/busybox mount -t sysfs sysfs /sys
                /bin/busybox --install -s /bin
                read init_up rest </proc/uptime
                export PATH=/bin:/opt/rayos/jre/bin HOME=/root
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
                i=0
                while ! findfs LABEL=RAYOS_DATA >/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
                data=$(findfs LABEL=RAYOS_DATA 2>/dev/null)
                esp=$(findfs LABEL=RAYOS_ESP 2>/dev/null)
                mkdir -p /var/rayos /efi
                if [ -n "$data" ] && mount -t ext4 -o noatime "$data" /var/rayos; then echo "$data" > /run/rayos/data-device
                else echo "rayos-init: the data partition (LABEL=RAYOS_DATA) did not mount; logs stay in the ring"; fi
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
                sync
                umount /efi 2>/dev/null || mount -o remount,ro /efi 2>/dev/null
                umount /var/rayos 2>/dev/null || mount -o remount,ro /var/rayos 2>/dev/null
                sync
                if [ $act = poweroff ]; then poweroff -f; else reboot -f; fi
                """.replace("@HEARTBEAT@", Integer.toString(heartbeatSeconds))
                .replace("@JAVA_OPTIONS@", javaOptions)
                .replace("@EXIT_REBOOT@", Integer.toString(AgentExit.REBOOT))
                .replace("@EXIT_POWEROFF@", Integer.toString(AgentExit.POWEROFF));
    }
}
