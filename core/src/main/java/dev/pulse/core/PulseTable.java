package dev.pulse.core;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The table layout, shared by the store, the local stack and the tests; {@code terraform/} mirrors it.
 * <ul>
 *   <li>items: {@code pk = "ITEM"}, {@code sk = id}: one partition read in id order;</li>
 *   <li>counters: {@code pk = "METRICS"}, {@code sk = "ALL"}: one record, read in O(1);</li>
 *   <li>GSI {@code by_tag}: {@code tag}, {@code sk}: per-tag pages and per-tag resume.</li>
 * </ul>
 * One item partition keeps "items after id X" a single ordered query; it caps ingest at one
 * partition's write rate (about 1,000 items/s), far above a dashboard's needs.
 */
public final class PulseTable {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String ITEM_PK = "ITEM";
    public static final String METRICS_PK = "METRICS";
    public static final String METRICS_SK = "ALL";
    public static final String TAG_INDEX = "by_tag";
    public static final String TAG = "tag";

    private PulseTable() {
    }

    /** Creates the table if it does not exist and waits until it is active. */
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
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
