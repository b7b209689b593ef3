package dev.pulse.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a write that lost the race for the head waits before it tries again. The unit is the smoothed time of
 * one write transaction (a round trip), so the same policy fits a local emulator and DynamoDB.
 */
final class WriteBackoff {

    private final AtomicLong roundTripNanos = new AtomicLong(Duration.ofMillis(20).toNanos());

    /** One transaction's time, sent to answered: a sample of the unit. */
    void roundTrip(long nanos) {
        roundTripNanos.updateAndGet(old -> (old * 4 + nanos) / 5);
    }

    /** Full jitter over 2^lost round trips (at most 16), never past the deadline. */
    void pause(int lost, Deadline deadline) {
        long window = roundTripNanos.get() << Math.min(lost, 4);
        sleep(Math.min(ThreadLocalRandom.current().nextLong(window + 1), deadline.remaining().toNanos()));
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting to retry a write; it was not stored", e);
        }
    }
}
