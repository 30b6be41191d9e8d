package dev.rayos.log.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The process-wide order of appends, shared by a ring's lanes: the one cache line every producer
 * still writes. Padded so that nothing else shares it (a neighbour written per line would move
 * with it between the cores).
 */
final class Orders {
    @SuppressWarnings("unused") private long p1, p2, p3, p4, p5, p6, p7;
    private volatile long next;
    @SuppressWarnings("unused") private long q1, q2, q3, q4, q5, q6, q7;

    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Orders.class, "next", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Takes the next order. */
    long next() {
        return (long) NEXT.getAndAdd(this, 1L);
    }

    /** The order the next append will take. */
    long current() {
        return next;
    }
}
