package dev.pulse.core;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Both functions' policy for a store that cannot be set up (no {@code PULSE_TABLE}, no region, a client that will
 * not build): the function still starts, so it can say what is wrong. Every call that needs the table throws
 * {@link StoreUnavailableException} with the reason: {@code /health} and the table's routes answer 503 JSON with
 * {@code Retry-After}, and the reason is in the function's log. The build is tried again at most every
 * {@link #RETRY_NANOS}, which heals a transient failure (credentials or region not yet readable); a missing setting is
 * fixed by changing the function's configuration, which starts new environments. A table that is set up but does
 * not answer is the same 503, from the store itself.
 */
public final class DeferredStore implements ItemStore {

    static final long RETRY_NANOS = 10_000_000_000L;

    private final Supplier<ItemStore> build;
    private final String table;
    private final long retryNanos;
    private volatile ItemStore store;   // read without the lock once built
    private RuntimeException failure;
    private long failedAt;

    private DeferredStore(Supplier<ItemStore> build, String table, long retryNanos) {
        this.build = build;
        this.table = table;
        this.retryNanos = retryNanos;
    }

    /** The store {@code settings} open, built now (in init, so the first request does not pay) or as soon as it can be. */
    public static DeferredStore open(StoreSettings settings) {
        return of(settings::open, settings.table(), RETRY_NANOS);
    }

    /** @param table the table the store is meant to have, reported while it cannot be built (null when none is named) */
    static DeferredStore of(Supplier<ItemStore> build, String table, long retryNanos) {
        DeferredStore deferred = new DeferredStore(build, table, retryNanos);
        deferred.tryBuild();
        return deferred;
    }

    private ItemStore store() {
        ItemStore built = store;
        return built != null ? built : buildOrFail();
    }

    private synchronized ItemStore buildOrFail() {
        if (store == null && (failure == null || System.nanoTime() - failedAt > retryNanos)) {
            tryBuild();
        }
        if (store == null) {
            throw new StoreUnavailableException("the item store could not be set up: " + failure.getMessage(), failure);
        }
        return store;
    }

    private synchronized void tryBuild() {
        try {
            store = build.get();
            failure = null;
        } catch (RuntimeException e) {
            failure = e;
            failedAt = System.nanoTime();
        }
    }

    @Override
    public Ingest put(NewItem item, IdempotencyKey key, Deadline deadline) {
        return store().put(item, key, deadline);
    }

    @Override
    public BatchIngest putAll(List<NewItem> items, IdempotencyKey key, Deadline deadline) {
        return store().putAll(items, key, deadline);
    }

    @Override
    public long lastSequence() {
        return store().lastSequence();
    }

    @Override
    public Metrics metrics() {
        return store().metrics();
    }

    @Override
    public ItemPage newest(int limit, String tag, String before) {
        return store().newest(limit, tag, before);
    }

    @Override
    public Optional<Item> get(String id) {
        return store().get(id);
    }

    @Override
    public List<Item> range(long after, long upTo) {
        return store().range(after, upTo);
    }

    @Override
    public void ping() {
        store().ping();
    }

    /** The table's name, even while the store cannot be built; null when none is named. */
    @Override
    public String tableName() {
        ItemStore built = store;
        return built != null ? built.tableName() : table;
    }
}
