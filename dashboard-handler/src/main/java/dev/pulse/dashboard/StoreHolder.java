package dev.pulse.dashboard;

import dev.pulse.core.ItemStore;
import dev.pulse.core.StoreSettings;
import dev.pulse.core.StoreUnavailableException;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The item store, built once. A failed build (no {@code PULSE_TABLE}, no region...) is remembered and
 * reported as {@link StoreUnavailableException} (so {@code /health} answers 503 with the reason instead
 * of every request failing with a stack trace), and retried at most every {@link #RETRY_NANOS}.
 */
final class StoreHolder {

    private static final long RETRY_NANOS = 10_000_000_000L;

    private final Supplier<ItemStore> factory;
    private final String configuredTable;
    private volatile ItemStore store;   // read without the lock once built
    private RuntimeException failure;
    private long failedAt;

    private StoreHolder(Supplier<ItemStore> factory, String configuredTable) {
        this.factory = factory;
        this.configuredTable = configuredTable;
    }

    static StoreHolder of(ItemStore store) {
        StoreHolder holder = new StoreHolder(() -> store, store.tableName());
        holder.store = store;
        return holder;
    }

    /** The production store, as core's {@link StoreSettings} opens it; built at init, so the first request does not pay. */
    static StoreHolder fromEnvironment(Map<String, String> env) {
        StoreSettings settings = StoreSettings.fromEnvironment(env);
        StoreHolder holder = new StoreHolder(settings::open, settings.table());
        holder.tryBuild();
        return holder;
    }

    ItemStore get() {
        ItemStore built = store;
        return built != null ? built : buildOrFail();
    }

    private synchronized ItemStore buildOrFail() {
        if (store == null && (failure == null || System.nanoTime() - failedAt > RETRY_NANOS)) {
            tryBuild();
        }
        if (store == null) {
            throw new StoreUnavailableException("the item store could not be set up: " + failure.getMessage(), failure);
        }
        return store;
    }

    /** The table name, even when the store could not be built (null when none is configured). */
    String tableName() {
        return configuredTable;
    }

    private synchronized void tryBuild() {
        try {
            store = factory.get();
            failure = null;
        } catch (RuntimeException e) {
            failure = e;
            failedAt = System.nanoTime();
        }
    }
}
