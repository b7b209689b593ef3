package dev.pulse.core;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Map;

/**
 * The table layout, shared by the store, the local stack and the tests; {@code terraform/} mirrors it.
 * <ul>
 *   <li>items: {@code pk = "ITEM"}, {@code sk = id} (the zero-padded sequence number): one partition read
 *       in commit order; the first item of each write also holds that write's random {@code write_id};</li>
 *   <li>the head: {@code pk = "METRICS"}, {@code sk = "ALL"}: {@code seq} (the newest item's number, which
 *       is also the total), the per-label counters and {@code updated_at}. Small and fixed-size: an idle
 *       stream reads only this;</li>
 *   <li>per-tag counters: {@code pk = "TAG_COUNT"}, {@code sk = <tag>}, {@code count} and one counter per
 *       label;</li>
 *   <li>idempotency records, one per client {@code Idempotency-Key}: {@code pk = "IDEMPOTENCY#client#<key>"},
 *       {@code sk = "KEY"}, {@code item_id} (the first item it stored), {@code item_count}, {@code item_digest},
 *       expiring through the table's TTL on {@code expires_at};</li>
 *   <li>GSI {@code by_tag}: {@code tag}, {@code sk}: per-tag pages for the list API (eventually consistent;
 *       the stream never reads it).</li>
 * </ul>
 * One item partition keeps "items after id X" a single ordered query. Every write also updates the head, so
 * writes take turns on the head record; batches share a turn, and then the item partition's own write limit on
 * DynamoDB is the next bound (see docs/performance.md).
 */
public final class PulseTable {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String ITEM_PK = "ITEM";
    public static final String HEAD_PK = "METRICS";
    public static final String HEAD_SK = "ALL";
    public static final String TAG_COUNT_PK = "TAG_COUNT";
    public static final String IDEMPOTENCY_PK_PREFIX = "IDEMPOTENCY#";
    public static final String IDEMPOTENCY_SK = "KEY";
    public static final String TAG_INDEX = "by_tag";
    public static final String TAG = "tag";
    /** Epoch seconds after which DynamoDB's TTL may delete a record (only idempotency records have it). */
    public static final String EXPIRES_AT = "expires_at";
    /** On the first item of a write: a random id of that write, by which it recognises its own commit. */
    public static final String WRITE_ID = "write_id";

    private PulseTable() {
    }

    /** The key of the head record. */
    public static Map<String, AttributeValue> headKey() {
        return key(HEAD_PK, HEAD_SK);
    }

    /** The key of the item with this id. */
    public static Map<String, AttributeValue> itemKey(String id) {
        return key(ITEM_PK, id);
    }

    /** The key of one tag's counters. */
    public static Map<String, AttributeValue> tagCountKey(String tag) {
        return key(TAG_COUNT_PK, tag);
    }

    /** The key of an idempotency record, by its claim ({@code client#<Idempotency-Key>}). */
    public static Map<String, AttributeValue> idempotencyKey(String claim) {
        return key(IDEMPOTENCY_PK_PREFIX + claim, IDEMPOTENCY_SK);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
    }

    /** Creates the table if it does not exist, waits until it is active, and turns on TTL. */
    public static void create(DynamoDbClient dynamo, String name) {
        try {
            dynamo.createTable(CreateTableRequest.builder()
                    .tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attribute(PK), attribute(SK), attribute(TAG))
                    .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(TAG_INDEX)
                            .keySchema(key(TAG, KeyType.HASH), key(SK, KeyType.RANGE))
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                            .build())
                    .build());
        } catch (ResourceInUseException alreadyThere) {
            // idempotent: an existing table is what we want
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
        try {
            dynamo.updateTimeToLive(b -> b.tableName(name)
                    .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
        } catch (SdkException alreadyOnOrUnsupported) {
            // TTL only tidies expired idempotency records; the store checks expiry itself
        }
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
