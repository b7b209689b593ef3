package dev.pulse.core;

import dev.pulse.core.IngestTransaction.Claim;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pulse.core.PulseTable.PK;

/**
 * {@link ItemStore} on DynamoDB (layout in {@link PulseTable}), made of one part per job: the
 * {@link SequencedWriter} (writes), the {@link MetricsReader} (the head and the counters), the {@link ItemQueries}
 * (reads of items) and the {@link ItemCodec} they share. Its client comes from {@link StoreSettings#client()}.
 */
public final class DynamoItemStore implements ItemStore {

    private final Table table;
    private final SequencedWriter writer;
    private final MetricsReader metrics;
    private final ItemQueries queries;

    public DynamoItemStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, MAX_TAGS_IN_METRICS);
    }

    DynamoItemStore(DynamoDbClient dynamo, String table, int maxTagsInMetrics) {
        this.table = new Table(dynamo, table);
        this.metrics = new MetricsReader(this.table, maxTagsInMetrics);
        this.queries = new ItemQueries(this.table);
        this.writer = new SequencedWriter(this.table, metrics, queries);
    }

    @Override
    public String tableName() {
        return table.name();
    }

    @Override
    public Ingest put(NewItem item, IdempotencyKey key, Deadline deadline) {
        BatchIngest stored = writer.write(List.of(item), key == null ? null : Claim.of(key, ItemDigest.of(item)), deadline);
        return new Ingest(stored.items().getFirst(), stored.replayed());
    }

    @Override
    public BatchIngest putAll(List<NewItem> items, IdempotencyKey key, Deadline deadline) {
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH + " items, not " + items.size());
        }
        return writer.write(List.copyOf(items), key == null ? null : Claim.of(key, ItemDigest.of(items)), deadline);
    }

    @Override
    public long lastSequence() {
        return metrics.lastSequence();
    }

    @Override
    public Metrics metrics() {
        return metrics.metrics();
    }

    @Override
    public ItemPage newest(int limit, String tag, String before) {
        return queries.newest(limit, tag, before);
    }

    @Override
    public Optional<Item> get(String id) {
        return queries.get(id);
    }

    @Override
    public List<Item> range(long after, long upTo) {
        return queries.range(after, upTo);
    }

    @Override
    public void ping() {
        try {
            table.dynamo().getItem(b -> b.tableName(table.name()).key(PulseTable.headKey()).projectionExpression("#pk")
                    .expressionAttributeNames(Map.of("#pk", PK)));
        } catch (SdkException e) {
            throw new StoreUnavailableException("table " + table.name() + " cannot be reached: " + e.getMessage(), e);
        }
    }
}
