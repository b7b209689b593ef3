package dev.pulse.core;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.Map;

/**
 * Which store a function uses, read once from its environment: {@code PULSE_TABLE} names the table; region,
 * credentials and endpoint ({@code AWS_ENDPOINT_URL_DYNAMODB}) come from the AWS SDK's standard configuration.
 * Both functions open their store through this, locally and on AWS, and it is the one place their DynamoDB client
 * is built.
 *
 * @param table the table's name, or null when {@code PULSE_TABLE} is not set
 */
public record StoreSettings(String table) {

    /** The longest one DynamoDB call may take, its retries included; a write's own deadline may be shorter. */
    static final Duration MAX_CALL_TIME = Duration.ofSeconds(12);

    public static StoreSettings fromEnvironment(Map<String, String> env) {
        String table = env.get("PULSE_TABLE");
        return new StoreSettings(table == null || table.isBlank() ? null : table.strip());
    }

    /** The store, on {@link #client()}; an {@link IllegalStateException} when no table is named. */
    public DynamoItemStore open() {
        if (table == null) {
            throw new IllegalStateException("PULSE_TABLE is not set: it names the DynamoDB table");
        }
        return new DynamoItemStore(client(), table);
    }

    /** A DynamoDB client on the small JDK HTTP client, with bounded waits so a dead table fails fast. */
    static DynamoDbClient client() {
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
}
