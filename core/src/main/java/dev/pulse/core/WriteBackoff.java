package dev.pulse.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a write tries for the head (again). The unit is the smoothed time of one write transaction (a round trip), so
 * the same policy fits a local emulator and DynamoDB.
 *
 * <p>Turns go roughly oldest first. A write that lost a race waits {@value #OLDEST_AFTER} − lost round trips (none
 * from then on), plus a random part of one so that writes that lost as often do not collide again: the more often it
 * lost, the sooner it tries. A new write while others are waiting queues behind them: it waits as a write that lost
 * no race yet, instead of trying at once with the head it last saw. Others are taken to be waiting when a write here
 * lost a race within the last {@value #CONTENTION_MEMORY} round trips and none has committed since without losing
 * one. Exponential backoff does the opposite of both: the write that just committed knows the head and tries at once
 * while the losers wait longer and longer, so a few writes wait seconds (docs/performance.md has both, measured).
 */
final class WriteBackoff {

    /** From this many lost races on, a write retries after a random part of one round trip only. */
    static final int OLDEST_AFTER = 4;
    /** How long, in round trips, a lost race here means that other writes are waiting for the head. */
    static final int CONTENTION_MEMORY = 32;

    private final AtomicLong roundTripNanos = new AtomicLong(Duration.ofMillis(20).toNanos());
    private final AtomicLong lastLossNanos = new AtomicLong(System.nanoTime() - Duration.ofDays(1).toNanos());

    /** One transaction's time, sent to answered: a sample of the unit. */
    void roundTrip(long nanos) {
        roundTripNanos.updateAndGet(old -> (old * 4 + nanos) / 5);
    }

    /** A write committed after {@code lost} lost races: one that lost none found nobody in its way. */
    void committed(int lost) {
        if (lost == 0) {
            lastLossNanos.set(System.nanoTime() - Duration.ofDays(1).toNanos());
        }
    }

    /** Whether a write here lost a race lately, and none committed since without losing one: others are waiting. */
    boolean othersWaiting() {
        return System.nanoTime() - lastLossNanos.get() < roundTripNanos.get() * CONTENTION_MEMORY;
    }

    /**
     * Waits, never past the deadline: after the {@code lost}-th lost race of a write (1, 2, ...), or before the first
     * attempt of a write that queues behind waiting ones ({@code lost} = 0).
     */
    void pause(int lost, Deadline deadline) {
        if (lost > 0) {
            lastLossNanos.set(System.nanoTime());
        }
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
