package dev.pulse.dashboard;

import dev.pulse.core.BatchIngest;
import dev.pulse.core.Deadline;
import dev.pulse.core.IdempotencyKey;
import dev.pulse.core.Ingest;
import dev.pulse.core.Item;
import dev.pulse.core.ItemPage;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Metrics;
import dev.pulse.core.NewItem;

import java.util.List;
import java.util.Optional;

/**
 * A store that fails the test if the handler touches it: proves that 421s, auth failures, CORS
 * preflights and input errors are answered without any store call. {@link AssertionError} is an
 * Error, so the handler's 500 safety net cannot swallow it.
 */
final class UntouchableStore implements ItemStore {

    private static AssertionError touched(String what) {
        return new AssertionError("the handler touched the store (" + what + ") where it must not");
    }

    @Override
    public Ingest put(NewItem item, IdempotencyKey key, Deadline deadline) {
        throw touched("put");
    }

    @Override
    public BatchIngest putAll(List<NewItem> items, IdempotencyKey key, Deadline deadline) {
        throw touched("putAll");
    }

    @Override
    public long lastSequence() {
        throw touched("lastSequence");
    }

    @Override
    public Optional<Item> get(String id) {
        throw touched("get");
    }

    @Override
    public Metrics metrics() {
        throw touched("metrics");
    }

    @Override
    public ItemPage newest(int limit, String tag, String before) {
        throw touched("newest");
    }

    @Override
    public List<Item> range(long after, long upTo) {
        throw touched("range");
    }

    @Override
    public void ping() {
        throw touched("ping");
    }

    @Override
    public String tableName() {
        return "untouchable";
    }
}
