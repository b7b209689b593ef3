package dev.pulse.core;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** One table on one client: what every part of the store reads and writes through. */
record Table(DynamoDbClient dynamo, String name) {

    /** One record, read strongly consistently; empty when there is none. */
    Map<String, AttributeValue> getConsistent(Map<String, AttributeValue> key) {
        try {
            Map<String, AttributeValue> record = dynamo.getItem(b -> b.tableName(name).key(key).consistentRead(true)).item();
            return record == null ? Map.of() : record;
        } catch (SdkException e) {
            throw new StoreUnavailableException("the table could not be read: " + e.getMessage(), e);
        }
    }
}
