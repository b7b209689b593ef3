package dev.pulse.core;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static dev.pulse.core.PulseTable.ITEM_PK;
import static dev.pulse.core.PulseTable.METRICS_PK;
import static dev.pulse.core.PulseTable.METRICS_SK;
import static dev.pulse.core.PulseTable.PK;
import static dev.pulse.core.PulseTable.SK;
import static dev.pulse.core.PulseTable.TAG;
import static dev.pulse.core.PulseTable.TAG_INDEX;

/**
 * {@link ItemStore} on DynamoDB (layout in {@link PulseTable}). Each ingest is one transaction: the
 * item's put and the counter increments commit together, so metrics always equal the items stored.
 */
public final class DynamoItemStore implements ItemStore {

    /** Counter attributes per tag are named {@code tag#<TAG>} on the metrics record. */
    private static final String TAG_COUNTER_PREFIX = "tag#";
    private static final int MAX_PUT_ATTEMPTS = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final ItemId.Generator ids;

    public DynamoItemStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, new ItemId.Generator());
    }

    public DynamoItemStore(DynamoDbClient dynamo, String table, ItemId.Generator ids) {
        this.dynamo = dynamo;
        this.table = table;
        this.ids = ids;
    }

    /**
     * The store a function uses: table from {@code PULSE_TABLE}; region, credentials and endpoint
     * ({@code AWS_ENDPOINT_URL_DYNAMODB}) from the SDK's standard configuration.
     */
    public static DynamoItemStore fromEnvironment() {
        String table = System.getenv("PULSE_TABLE");
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("PULSE_TABLE is not set: it names the DynamoDB table");
        }
        return new DynamoItemStore(client(), table);
    }

    /** A DynamoDB client on the small JDK HTTP client, with bounded waits so a dead table fails fast. */
    public static DynamoDbClient client() {
        AwsCredentialsProvider credentials = System.getenv("AWS_ACCESS_KEY_ID") != null
                ? EnvironmentVariableCredentialsProvider.create()   // Lambda: skip the provider chain's probing
                : DefaultCredentialsProvider.builder().build();
        return DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)))
                .credentialsProvider(credentials)
                .overrideConfiguration(c -> c
                        .retryStrategy(r -> r.maxAttempts(3))   // DynamoDB's default 8 makes /health slow to say 503
                        .apiCallAttemptTimeout(Duration.ofSeconds(5))
                        .apiCallTimeout(Duration.ofSeconds(12)))
                .build();
    }

    @Override
    public String tableName() {
        return table;
    }

    @Override
    public Item put(NewItem input) {
        SdkException last = null;
        for (int attempt = 1; attempt <= MAX_PUT_ATTEMPTS; attempt++) {
            String id = ids.next();
            Item item = new Item(id, input.tag(), input.label(), input.score(), input.text(), input.source(),
                    Instant.ofEpochMilli(ItemId.millisOf(id)).toString());
            try {
                dynamo.transactWriteItems(b -> b
                        .clientRequestToken(id)   // a retried request after a lost answer commits once
                        .transactItems(putItem(item), countItem(item)));
                return item;
            } catch (TransactionCanceledException e) {
                // Conflicts on the hot counter record and (very rare) id collisions are retried with a
                // fresh id; anything else is a real failure.
                if (!retryable(e)) {
                    throw new StoreUnavailableException("ingest was cancelled: " + e.getMessage(), e);
                }
                last = e;
                backoff(attempt);
            } catch (SdkException e) {
                throw new StoreUnavailableException("ingest failed: " + e.getMessage(), e);
            }
        }
        throw new StoreUnavailableException("ingest kept conflicting; try again", last);
    }

    private static boolean retryable(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return true;
        }
        for (CancellationReason reason : e.cancellationReasons()) {
            String code = reason.code();
            if (code != null && !code.equals("None") && !code.equals("TransactionConflict")
                    && !code.equals("ConditionalCheckFailed") && !code.equals("ThrottlingError")) {
                return false;
            }
        }
        return true;
    }

    private static void backoff(int attempt) {
        long cap = Math.min(200, 5L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying an ingest", e);
        }
    }

    private TransactWriteItem putItem(Item item) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(PK, s(ITEM_PK));
        values.put(SK, s(item.id()));
        values.put(TAG, s(item.tag()));
        values.put("label", s(item.label()));
        values.put("score", AttributeValue.fromN(Double.toString(item.score())));
        values.put("text", s(item.text()));
        if (item.source() != null) {
            values.put("source", s(item.source()));
        }
        values.put("ts", s(item.ts()));
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(table)
                .item(values)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .build()).build();
    }

    private TransactWriteItem countItem(Item item) {
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(table)
                .key(metricsKey())
                .updateExpression("ADD #total :one, #label :one, #tag :one SET #updated = :ts")
                .expressionAttributeNames(Map.of(
                        "#total", "total",
                        "#label", item.label(),
                        "#tag", TAG_COUNTER_PREFIX + item.tag(),
                        "#updated", "updated_at"))
                .expressionAttributeValues(Map.of(
                        ":one", AttributeValue.fromN("1"),
                        ":ts", s(item.ts())))
                .build()).build();
    }

    @Override
    public Metrics metrics() {
        Map<String, AttributeValue> record;
        try {
            record = dynamo.getItem(b -> b.tableName(table).key(metricsKey()).consistentRead(true)).item();
        } catch (SdkException e) {
            throw new StoreUnavailableException("metrics could not be read: " + e.getMessage(), e);
        }
        if (record == null || record.isEmpty()) {
            return Metrics.empty();
        }
        Map<String, Long> byTag = new HashMap<>();
        record.forEach((name, value) -> {
            if (name.startsWith(TAG_COUNTER_PREFIX)) {
                byTag.put(name.substring(TAG_COUNTER_PREFIX.length()), Long.parseLong(value.n()));
            }
        });
        AttributeValue updated = record.get("updated_at");
        return new Metrics(count(record, "total"), count(record, "positive"), count(record, "neutral"),
                count(record, "negative"), byTag, updated == null ? null : updated.s());
    }

    @Override
    public ItemPage newest(int limit, String tag, String before) {
        // One extra item tells whether a next page exists without a second round trip.
        List<Item> items = query(tag, before, false, limit + 1);
        if (items.size() > limit) {
            List<Item> page = items.subList(0, limit);
            return new ItemPage(page, page.get(limit - 1).id());
        }
        return new ItemPage(items, null);
    }

    @Override
    public List<Item> after(String id, Set<String> tags, int limit) {
        if (tags.isEmpty()) {
            return query(null, id, true, limit);
        }
        List<Item> merged = new ArrayList<>();
        for (String tag : tags) {
            merged.addAll(query(tag, id, true, limit));
        }
        merged.sort(Comparator.comparing(Item::id));
        return merged.size() > limit ? List.copyOf(merged.subList(0, limit)) : merged;
    }

    @Override
    public void ping() {
        try {
            dynamo.getItem(b -> b.tableName(table).key(metricsKey()).projectionExpression("#pk")
                    .expressionAttributeNames(Map.of("#pk", PK)));
        } catch (SdkException e) {
            throw new StoreUnavailableException("table " + table + " cannot be reached: " + e.getMessage(), e);
        }
    }

    /**
     * Items in id order from the item partition or one tag of the GSI, bounded by {@code cursor}
     * (exclusive; greater-than when ascending, less-than when descending), following DynamoDB's pages.
     */
    private List<Item> query(String tag, String cursor, boolean ascending, int limit) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String condition;
        if (tag == null) {
            names.put("#pk", PK);
            values.put(":pk", s(ITEM_PK));
            condition = "#pk = :pk";
        } else {
            names.put("#tag", TAG);
            values.put(":tag", s(tag));
            condition = "#tag = :tag";
        }
        if (cursor != null) {
            names.put("#sk", SK);   // DynamoDB rejects names an expression does not use
            values.put(":cursor", s(cursor));
            condition += ascending ? " AND #sk > :cursor" : " AND #sk < :cursor";
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(ascending);
        if (tag == null) {
            request.consistentRead(true);   // GSIs cannot read consistently; the base table can
        } else {
            request.indexName(TAG_INDEX);
        }
        List<Item> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                QueryResponse page = dynamo.query(request.limit(limit - items.size()).exclusiveStartKey(start).build());
                page.items().forEach(row -> items.add(item(row)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && items.size() < limit);
        } catch (SdkException e) {
            throw new StoreUnavailableException("items could not be read: " + e.getMessage(), e);
        }
        return items;
    }

    private static Item item(Map<String, AttributeValue> row) {
        AttributeValue source = row.get("source");
        return new Item(row.get(SK).s(), row.get(TAG).s(), row.get("label").s(),
                Double.parseDouble(row.get("score").n()), row.get("text").s(),
                source == null ? null : source.s(), row.get("ts").s());
    }

    private static Map<String, AttributeValue> metricsKey() {
        return Map.of(PK, s(METRICS_PK), SK, s(METRICS_SK));
    }

    private static long count(Map<String, AttributeValue> record, String name) {
        AttributeValue value = record.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
