package dev.pulse.sse.app;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream's updates on their way to its writer, bounded twice: the shared feed offers live updates and is refused
 * past {@link #LIVE_CAPACITY} (it never waits on a slow stream; the stream then catches up from the table), and the
 * stream's own catch-up waits while {@link #REPLAY_CAPACITY} updates are queued (a far-behind resume streams with flat
 * memory). A failure jumps the queue: the writer sees it next.
 */
final class UpdateQueue {

    /** Live updates a stream may fall behind by before the feed hands it over to its own catch-up. */
    static final int LIVE_CAPACITY = 64;
    /** Pages a catch-up keeps in flight (each at most {@code ItemStore.MAX_RANGE} items it read itself). */
    static final int REPLAY_CAPACITY = 4;

    private final ArrayDeque<Update> updates = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Update.Failed failure;

    /** Adds a live update unless {@link #LIVE_CAPACITY} are queued; never waits. */
    boolean offerLive(Update update) {
        lock.lock();
        try {
            if (updates.size() >= LIVE_CAPACITY) {
                return false;
            }
            updates.add(update);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Room for {@code count} live updates now. */
    boolean hasLiveRoom(int count) {
        lock.lock();
        try {
            return updates.size() + count <= LIVE_CAPACITY;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a replayed update, waiting while {@link #REPLAY_CAPACITY} are queued. */
    void putReplay(Update update) throws InterruptedException {
        lock.lock();
        try {
            while (updates.size() >= REPLAY_CAPACITY) {
                changed.await();
            }
            updates.add(update);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream: the writer's next {@link #poll} returns this failure, whatever is queued. */
    void fail(Throwable error) {
        lock.lock();
        try {
            if (failure == null) {
                failure = new Update.Failed(error);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next update, waiting up to {@code timeoutNanos}; null when none came. */
    Update poll(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (failure == null && updates.isEmpty()) {
                if (left <= 0) {
                    return null;
                }
                left = changed.awaitNanos(left);
            }
            if (failure != null) {
                return failure;
            }
            Update next = updates.poll();
            changed.signalAll();
            return next;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return updates.size();
        } finally {
            lock.unlock();
        }
    }
}
