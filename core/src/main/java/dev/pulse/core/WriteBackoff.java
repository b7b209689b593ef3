package dev.pulse.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a write that lost the race for the head waits before it reads the head again and retries. The unit is
 * the smoothed time of one write transaction (a round trip), so the same policy fits a local emulator and DynamoDB.
 *
 * <p>A write that lost more often waits less: {@value #OLDEST_AFTER} − lost round trips (none from then on), plus a
 * random part of one so that writes that lost as often do not collide again. Turns thus go roughly oldest first.
 * Exponential backoff does the opposite: a write that just committed knows the head and tries at once, while the
 * writes that lost wait longer and longer, so a few of them wait seconds (docs/performance.md has both, measured).
 */
final class WriteBackoff {

    /** From this many lost races on, a write retries after a random part of one round trip only. */
    static final int OLDEST_AFTER = 4;

    private final AtomicLong roundTripNanos = new AtomicLong(Duration.ofMillis(20).toNanos());

    /** One transaction's time, sent to answered: a sample of the unit. */
    void roundTrip(long nanos) {
        roundTripNanos.updateAndGet(old -> (old * 4 + nanos) / 5);
    }

    /** Waits after the {@code lost}-th lost race of one write (1, 2, ...), never past the deadline. */
    void pause(int lost, Deadline deadline) {
        long unit = roundTripNanos.get();
        long nanos = unit * Math.max(0, OLDEST_AFTER - lost) + ThreadLocalRandom.current().nextLong(unit + 1);
        try {
            Thread.sleep(Duration.ofNanos(Math.min(nanos, deadline.remaining().toNanos())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting to retry a write; it was not stored", e);
        }
    }
}
