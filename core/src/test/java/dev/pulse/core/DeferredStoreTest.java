package dev.pulse.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one policy both functions follow for a store that cannot be set up. The store behind it is a mock edge. */
class DeferredStoreTest {

    /** Builds what {@code next} holds, or throws its failure; counts the attempts. */
    private static final class Builds implements Supplier<ItemStore> {
        final AtomicReference<ItemStore> next = new AtomicReference<>();
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public ItemStore get() {
            attempts.incrementAndGet();
            ItemStore store = next.get();
            if (store == null) {
                throw new IllegalStateException("no region is configured");
            }
            return store;
        }
    }

    @Test
    void withoutATableNamedEveryCallIsUnavailableWithTheReason_andTheTableNameIsNull() {
        DeferredStore store = DeferredStore.open(new StoreSettings(null));
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, store::ping);
        assertTrue(e.getMessage().contains("PULSE_TABLE is not set"), e.getMessage());
        assertThrows(StoreUnavailableException.class, () -> store.newest(10, null, null));
        assertThrows(StoreUnavailableException.class, store::lastSequence);
        assertNull(store.tableName());
    }

    @Test
    void aFailedBuildIsTriedAgainOnlyAfterTheRetryInterval_thenTheStoreServes() throws Exception {
        Builds builds = new Builds();
        DeferredStore store = DeferredStore.of(builds, "pulse-items", 200_000_000L);
        assertEquals(1, builds.attempts.get(), "built at once, in init");
        assertEquals("pulse-items", store.tableName(), "the meant table is reported while it cannot be built");
        for (int i = 0; i < 20; i++) {
            assertThrows(StoreUnavailableException.class, store::ping);
        }
        assertEquals(1, builds.attempts.get(), "no rebuild within the retry interval");

        InMemoryItems fixed = new InMemoryItems("pulse-items");
        builds.next.set(fixed);
        Thread.sleep(250);
        store.ping();
        assertEquals(2, builds.attempts.get());
        assertEquals(7, store.lastSequence());
        assertEquals("pulse-items", store.tableName());
        store.ping();
        assertEquals(2, builds.attempts.get(), "a built store is kept");
    }

    @Test
    void manyCallersAtOnceWhileTheBuildFails_eachGets503NeverAnotherError_andOneBuildPerInterval() throws Exception {
        Builds builds = new Builds();
        DeferredStore store = DeferredStore.of(builds, "t", 50_000_000L);
        InMemoryItems fixed = new InMemoryItems("t");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long began = System.nanoTime();
        try {
            List<Callable<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                calls.add(() -> {
                    if (n == 200) {
                        builds.next.set(fixed);
                    }
                    try {
                        return store.lastSequence();
                    } catch (StoreUnavailableException e) {
                        return -1L;
                    }
                });
            }
            List<Long> answers = new ArrayList<>();
            for (Future<Long> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
            assertTrue(answers.stream().allMatch(a -> a == -1L || a == 7L), answers.toString());
        } finally {
            pool.shutdownNow();
        }
        Thread.sleep(60);
        assertEquals(7, store.lastSequence(), "served once the build succeeds");
        long intervals = (System.nanoTime() - began) / 50_000_000L;
        assertTrue(builds.attempts.get() <= 2 + intervals,
                "at most one build per retry interval: " + builds.attempts.get() + " in " + intervals + " intervals");
    }

    /** Only what these tests read: a table name, a ping that answers and a last sequence of 7. */
    private record InMemoryItems(String tableName) implements ItemStore {
        @Override
        public Ingest put(NewItem item, IdempotencyKey key, Deadline deadline) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long lastSequence() {
            return 7;
        }

        @Override
        public Metrics metrics() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ItemPage newest(int limit, String tag, String before) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Optional<Item> get(String id) {
            return java.util.Optional.empty();
        }

        @Override
        public List<Item> range(long after, long upTo) {
            return List.of();
        }

        @Override
        public void ping() {
        }
    }
}
