package dev.pulse.core;

import java.util.Map;

/**
 * Which store a function uses, read once from its environment: {@code PULSE_TABLE} names the table; region,
 * credentials and endpoint ({@code AWS_ENDPOINT_URL_DYNAMODB}) come from the AWS SDK's standard configuration.
 * Both functions open their store through this, locally and on AWS.
 *
 * @param table the table's name, or null when {@code PULSE_TABLE} is not set
 */
public record StoreSettings(String table) {

    public static StoreSettings fromEnvironment(Map<String, String> env) {
        String table = env.get("PULSE_TABLE");
        return new StoreSettings(table == null || table.isBlank() ? null : table.strip());
    }

    /** The store, on a client with bounded waits; an {@link IllegalStateException} when no table is named. */
    public DynamoItemStore open() {
        if (table == null) {
            throw new IllegalStateException("PULSE_TABLE is not set: it names the DynamoDB table");
        }
        return new DynamoItemStore(DynamoItemStore.client(), table);
    }
}
