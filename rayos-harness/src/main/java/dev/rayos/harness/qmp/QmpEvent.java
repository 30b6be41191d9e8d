package dev.rayos.harness.qmp;

import java.util.Map;

/**
 * An asynchronous QMP event ({@code {"event": ..., "data": ..., "timestamp": ...}}), as QEMU
 * sent it, with the host monotonic time at which the harness read it.
 *
 * @param name        event name, for example {@code GUEST_PANICKED} or {@code SHUTDOWN}
 * @param data        the event's {@code data} object (empty when absent)
 * @param receivedNanos the monotonic clock given to {@link QmpClient#connect} when read
 */
public record QmpEvent(String name, Map<String, Object> data, long receivedNanos) {
    public QmpEvent {
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
