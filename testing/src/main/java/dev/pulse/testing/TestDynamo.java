package dev.pulse.testing;

import dev.pulse.emulators.DynamoDbEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;

/** Clients for a {@link DynamoDbEmulator} (or a proxy in front of it): dummy credentials, loopback endpoint. */
public final class TestDynamo {

    private TestDynamo() {
    }

    public static DynamoDbClient client(DynamoDbEmulator emulator) {
        return client(emulator.endpoint());
    }

    public static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
