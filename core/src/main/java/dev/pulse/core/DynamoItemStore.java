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
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import static dev.pulse.core.PulseTable.EXPIRES_AT;
import static dev.pulse.core.PulseTable.HEAD_PK;
import static dev.pulse.core.PulseTable.HEAD_SK;
import static dev.pulse.core.PulseTable.IDEMPOTENCY_PK_PREFIX;
import static dev.pulse.core.PulseTable.IDEMPOTENCY_SK;
import static dev.pulse.core.PulseTable.ITEM_PK;
import static dev.pulse.core.PulseTable.PK;
import static dev.pulse.core.PulseTable.SK;
import static dev.pulse.core.PulseTable.TAG;
import static dev.pulse.core.PulseTable.TAG_COUNT_PK;
import static dev.pulse.core.PulseTable.TAG_INDEX;

/**
 * {@link ItemStore} on DynamoDB (layout in {@link PulseTable}).
 *
 * <p>A write is one transaction of four parts: advance the head from the number the writer expects
 * ({@code seq = n}, conditional) to {@code n + 1}, put the item with id {@code n + 1}, count its tag,
 * and claim its idempotency record. If another writer got there first, the head's condition fails, the
 * transaction stores nothing, and the writer tries again with the head's new number. Numbers are thus
 * taken in commit order, with no gaps, whatever the number of writers or how long a write was held up.
 *
 * <p>Every write claims an idempotency record: the client's key, or a random one. So a write whose
 * answer was lost but which did commit is recognised when it is sent again (by the SDK's retry, by a
 * client, or by this loop) and is never stored twice.
 */
public final class DynamoItemStore implements ItemStore {

    private static final int MAX_PUT_ATTEMPTS = 200;
    private static final Duration MAX_CALL_TIME = Duration.ofSeconds(12);
    private static final int CONSISTENT_METRICS_ATTEMPTS = 5;
    private static final int CONTIGUOUS_LIST_ATTEMPTS = 3;
    /** Part indexes in the write transaction, as the cancellation reasons list them. */
    private static final int HEAD = 0;
    private static final int CLAIM = 3;

    private final DynamoDbClient dynamo;
    private final String table;
    /** The newest number this store has seen: a writer's first guess, corrected by the head's condition. */
    private final AtomicLong knownSequence = new AtomicLong();
    private final AtomicLong roundTripNanos = new AtomicLong(Duration.ofMillis(20).toNanos());
    private final int maxTags;
    private final ReentrantLock turn = new ReentrantLock(true);

    public DynamoItemStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, MAX_TAGS_IN_METRICS);
    }

    DynamoItemStore(DynamoDbClient dynamo, String table, int maxTagsInMetrics) {
        this.dynamo = dynamo;
        this.table = table;
        this.maxTags = maxTagsInMetrics;
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
                        .apiCallTimeout(MAX_CALL_TIME))
                .build();
    }

    @Override
    public String tableName() {
        return table;
    }

    @Override
    public Ingest put(NewItem input, IdempotencyKey key, Deadline deadline) {
        // Writers in one JVM take turns: they would only conflict on the head. (On Lambda an execution
        // environment runs one invocation at a time; the local stack and tests share a store between threads.)
        try {
            if (!turn.tryLock(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StoreUnavailableException("the write did not finish in time; it was not stored", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted before the write; it was not stored", e);
        }
        try {
            return putInTurn(input, key, deadline);
        } finally {
            turn.unlock();
        }
    }

    private Ingest putInTurn(NewItem input, IdempotencyKey key, Deadline deadline) {
        String claim = key != null ? "client#" + key.value() : "auto#" + UUID.randomUUID();
        String digest = digest(input);
        // A new execution environment knows no number yet: one small read beats a transaction bound to fail.
        long expected = knownSequence.get() > 0 ? knownSequence.get() : lastSequence();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= MAX_PUT_ATTEMPTS; attempt++) {
            if (deadline.passed()) {
                throw new StoreUnavailableException("the write did not finish in time; it was not stored", last);
            }
            Item item = new Item(ItemId.of(expected + 1), input.tag(), input.label(), input.score(), input.text(),
                    input.source(), Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            List<TransactWriteItem> parts = List.of(
                    advanceHead(expected, item), putItem(item), countTag(item), claim(claim, digest, item.id()));
            Duration callTime = min(deadline.remaining(), MAX_CALL_TIME);
            long sentAt = System.nanoTime();
            try {
                dynamo.transactWriteItems(b -> b
                        // one token per attempt: an SDK retry of this very request commits at most once
                        .clientRequestToken(UUID.randomUUID().toString())
                        .transactItems(parts)
                        .overrideConfiguration(o -> o.apiCallTimeout(callTime)));
                roundTrip(sentAt);
                knownSequence.accumulateAndGet(expected + 1, Math::max);
                return new Ingest(item, false);
            } catch (TransactionCanceledException e) {
                roundTrip(sentAt);
                last = e;
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (is(reasons, CLAIM, "ConditionalCheckFailed")) {
                    Optional<Ingest> earlier = earlierWrite(claim, digest, key != null);
                    if (earlier.isPresent()) {
                        return earlier.get();
                    }
                    continue;   // the record expired or went between the two calls: claim it again
                }
                if (is(reasons, HEAD, "ConditionalCheckFailed")) {
                    knownSequence.accumulateAndGet(sequenceIn(reasons.get(HEAD).item()), Math::max);
                } else if (!retryable(reasons)) {
                    throw new StoreUnavailableException("ingest was cancelled: " + e.getMessage(), e);
                }
                // Another writer got there first. Wait a random part of a window that doubles with every lost
                // race (in round trips, like Ethernet's backoff), so that the losers do not all collide again,
                // then read the head afresh: a number learnt before the wait is likely taken by then.
                pause(attempt, deadline);
                expected = Math.max(lastSequence(), knownSequence.get());
            } catch (SdkException e) {
                throw new StoreUnavailableException("ingest failed: " + e.getMessage(), e);
            }
        }
        throw new StoreUnavailableException("ingest kept conflicting with other writes; try again", last);
    }

    private static boolean is(List<CancellationReason> reasons, int part, String code) {
        return reasons.size() > part && code.equals(reasons.get(part).code());
    }

    /** Conflicts with a transaction in flight and throttling pass; anything else is a real failure. */
    private static boolean retryable(List<CancellationReason> reasons) {
        for (CancellationReason reason : reasons) {
            String code = reason.code();
            if (code != null && !code.equals("None") && !code.equals("TransactionConflict")
                    && !code.equals("ThrottlingError") && !code.equals("ConditionalCheckFailed")) {
                return false;
            }
        }
        return true;
    }

    /** Smoothed time of one write transaction, which is the unit of the backoff window. */
    private void roundTrip(long sentAt) {
        long sample = System.nanoTime() - sentAt;
        roundTripNanos.updateAndGet(old -> (old * 4 + sample) / 5);
    }

    /** Full jitter over 2^attempt round trips (at most 16), never past the deadline. */
    private void pause(int attempt, Deadline deadline) {
        long window = roundTripNanos.get() << Math.min(attempt, 4);
        long nanos = Math.min(ThreadLocalRandom.current().nextLong(window + 1), deadline.remaining().toNanos());
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying an ingest", e);
        }
    }

    /**
     * The item an earlier write with this claim stored: with a client's key, a repeat is a replay and another
     * item is an error; with our own random claim, it is this very write, whose first answer was lost.
     */
    private Optional<Ingest> earlierWrite(String claim, String digest, boolean clientKey) {
        Map<String, AttributeValue> record = getConsistent(claimKey(claim));
        if (record == null || record.isEmpty() || expired(record)) {
            return Optional.empty();
        }
        String itemId = record.get("item_id").s();
        if (!digest.equals(record.get("item_digest").s())) {
            throw new IdempotencyKeyReusedException(itemId);
        }
        Item item = get(itemId).orElseThrow(() -> new StoreUnavailableException(
                "the idempotency record names item " + itemId + ", which cannot be read", null));
        return Optional.of(new Ingest(item, clientKey));
    }

    private static boolean expired(Map<String, AttributeValue> record) {
        AttributeValue expires = record.get(EXPIRES_AT);
        return expires != null && Long.parseLong(expires.n()) < Instant.now().getEpochSecond();
    }

    private TransactWriteItem advanceHead(long expected, Item item) {
        Map<String, String> names = new HashMap<>(Map.of(
                "#seq", "seq", "#label", item.label(), "#updated", "updated_at"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":next", n(expected + 1), ":one", n(1), ":ts", s(item.ts())));
        String condition;
        if (expected == 0) {
            condition = "attribute_not_exists(#seq)";
        } else {
            condition = "#seq = :expected";
            values.put(":expected", n(expected));
        }
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(table)
                .key(headKey())
                .updateExpression("SET #seq = :next, #updated = :ts ADD #label :one")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                // the head as it is, so the next attempt knows the number without another read
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build();
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

    private TransactWriteItem countTag(Item item) {
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(table)
                .key(Map.of(PK, s(TAG_COUNT_PK), SK, s(item.tag())))
                .updateExpression("ADD #count :one, #label :one")
                .expressionAttributeNames(Map.of("#count", "count", "#label", item.label()))
                .expressionAttributeValues(Map.of(":one", n(1)))
                .build()).build();
    }

    private TransactWriteItem claim(String claim, String digest, String itemId) {
        long now = Instant.now().getEpochSecond();
        Map<String, AttributeValue> values = new HashMap<>(claimKey(claim));
        values.put("item_id", s(itemId));
        values.put("item_digest", s(digest));
        values.put(EXPIRES_AT, n(now + IdempotencyKey.RETENTION_HOURS * 3600L));
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(table)
                .item(values)
                .conditionExpression("attribute_not_exists(#pk) OR #expires < :now")
                .expressionAttributeNames(Map.of("#pk", PK, "#expires", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":now", n(now)))
                .build()).build();
    }

    /** What "the same body" means for a key: the same fields, whatever the JSON's spacing or field order. */
    static String digest(NewItem item) {
        String canonical = Json.write(Json.object()
                .put("tag", item.tag())
                .put("label", item.label())
                .put("score", item.score())
                .put("text", item.text())
                .put("source", item.source()));
        return Sha256.hex(canonical);
    }

    @Override
    public long lastSequence() {
        Map<String, AttributeValue> head;
        try {
            head = dynamo.getItem(b -> b.tableName(table).key(headKey()).consistentRead(true)
                    .projectionExpression("#seq").expressionAttributeNames(Map.of("#seq", "seq"))).item();
        } catch (SdkException e) {
            throw new StoreUnavailableException("the newest item number could not be read: " + e.getMessage(), e);
        }
        return sequenceIn(head);
    }

    /** The head's {@code seq}; 0 when there is no head yet (or the read returned none). */
    private static long sequenceIn(Map<String, AttributeValue> head) {
        return head == null ? 0 : count(head, "seq");
    }

    /**
     * The head and the tag counters are two reads; they agree when the tag counts add up to the total
     * (every item has one tag). When a write lands between them, read again.
     */
    @Override
    public Metrics metrics() {
        Metrics metrics = null;
        for (int attempt = 0; attempt < CONSISTENT_METRICS_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> head = getConsistent(headKey());
            TagCounts tags = tagCounts();
            metrics = metrics(head, tags);
            if (tags.truncated() || tags.sum() == metrics.total()) {
                return metrics;
            }
            metrics = metrics(getConsistent(headKey()), tags);
            if (tags.sum() == metrics.total()) {
                return metrics;
            }
        }
        return metrics;   // writes kept landing in between: the totals are exact, by_tag is within a few
    }

    private record TagCounts(Map<String, Long> counts, Map<String, LabelCounts> labels, boolean truncated) {
        long sum() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private TagCounts tagCounts() {
        // Pages hold at most maxTags + 1 rows: one more than reported tells that there are more.
        Map<String, Long> counts = new HashMap<>();
        Map<String, LabelCounts> labels = new HashMap<>();
        Map<String, AttributeValue> start = null;
        boolean truncated = false;
        try {
            do {
                QueryResponse page = dynamo.query(QueryRequest.builder()
                        .tableName(table)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", s(TAG_COUNT_PK)))
                        .consistentRead(true)
                        .limit(maxTags + 1 - counts.size())
                        .exclusiveStartKey(start)
                        .build());
                for (Map<String, AttributeValue> row : page.items()) {
                    if (counts.size() == maxTags) {
                        truncated = true;
                        break;
                    }
                    counts.put(row.get(SK).s(), Long.parseLong(row.get("count").n()));
                    labels.put(row.get(SK).s(), new LabelCounts(count(row, "positive"), count(row, "neutral"),
                            count(row, "negative")));
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && !truncated);
        } catch (SdkException e) {
            throw new StoreUnavailableException("metrics could not be read: " + e.getMessage(), e);
        }
        return new TagCounts(counts, labels, truncated);
    }

    private static Metrics metrics(Map<String, AttributeValue> head, TagCounts tags) {
        if (head == null || head.isEmpty()) {
            return new Metrics(0, 0, 0, 0, tags.counts(), tags.labels(), tags.truncated(), null);
        }
        AttributeValue updated = head.get("updated_at");
        return new Metrics(count(head, "seq"), count(head, "positive"), count(head, "neutral"),
                count(head, "negative"), tags.counts(), tags.labels(), tags.truncated(),
                updated == null ? null : updated.s());
    }

    @Override
    public ItemPage newest(int limit, String tag, String before) {
        // One extra item tells whether a next page exists without a second round trip.
        List<Item> items = query(tag, before, limit + 1);
        for (int attempt = 1; tag == null && !contiguous(items) && attempt < CONTIGUOUS_LIST_ATTEMPTS; attempt++) {
            // a write still being applied: its number is taken but not yet visible; it will be in a moment
            pauseBriefly();
            items = query(null, before, limit + 1);
        }
        if (items.size() > limit) {
            List<Item> page = items.subList(0, limit);
            return new ItemPage(page, page.get(limit - 1).id());
        }
        return new ItemPage(items, null);
    }

    private static boolean contiguous(List<Item> newestFirst) {
        for (int i = 1; i < newestFirst.size(); i++) {
            if (ItemId.sequenceOf(newestFirst.get(i - 1).id()) != ItemId.sequenceOf(newestFirst.get(i).id()) + 1) {
                return false;
            }
        }
        return true;
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while reading items", e);
        }
    }

    @Override
    public Optional<Item> get(String id) {
        Map<String, AttributeValue> row = getConsistent(Map.of(PK, s(ITEM_PK), SK, s(id)));
        return row == null || row.isEmpty() ? Optional.empty() : Optional.of(item(row));
    }

    @Override
    public List<Item> range(long after, long upTo) {
        long last = Math.min(upTo, after + MAX_RANGE);
        if (last <= after) {
            return List.of();
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :first AND :last")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(
                        ":pk", s(ITEM_PK), ":first", s(ItemId.of(after + 1)), ":last", s(ItemId.of(last))))
                .consistentRead(true);
        return pages(request, (int) (last - after));
    }

    @Override
    public void ping() {
        try {
            dynamo.getItem(b -> b.tableName(table).key(headKey()).projectionExpression("#pk")
                    .expressionAttributeNames(Map.of("#pk", PK)));
        } catch (SdkException e) {
            throw new StoreUnavailableException("table " + table + " cannot be reached: " + e.getMessage(), e);
        }
    }

    /** Newest first from the item partition (consistent) or one tag of the GSI, below {@code before}. */
    private List<Item> query(String tag, String before, int limit) {
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
        if (before != null) {
            names.put("#sk", SK);   // DynamoDB rejects names an expression does not use
            values.put(":cursor", s(before));
            condition += " AND #sk < :cursor";
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(false);
        if (tag == null) {
            request.consistentRead(true);   // GSIs cannot read consistently; the base table can
        } else {
            request.indexName(TAG_INDEX);
        }
        return pages(request, limit);
    }

    /** Follows DynamoDB's pages (1 MB each) until {@code limit} items or the end. */
    private List<Item> pages(QueryRequest.Builder request, int limit) {
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

    private Map<String, AttributeValue> getConsistent(Map<String, AttributeValue> key) {
        try {
            return dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        } catch (SdkException e) {
            throw new StoreUnavailableException("the table could not be read: " + e.getMessage(), e);
        }
    }

    private static Item item(Map<String, AttributeValue> row) {
        AttributeValue source = row.get("source");
        return new Item(row.get(SK).s(), row.get(TAG).s(), row.get("label").s(),
                Double.parseDouble(row.get("score").n()), row.get("text").s(),
                source == null ? null : source.s(), row.get("ts").s());
    }

    private static Map<String, AttributeValue> headKey() {
        return Map.of(PK, s(HEAD_PK), SK, s(HEAD_SK));
    }

    private static Map<String, AttributeValue> claimKey(String claim) {
        return Map.of(PK, s(IDEMPOTENCY_PK_PREFIX + claim), SK, s(IDEMPOTENCY_SK));
    }

    private static long count(Map<String, AttributeValue> record, String name) {
        AttributeValue value = record.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
