package dev.pulse.e2e.diagnose;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Clients for diagnose: the default credential chain, the {@code url-connection-client}, and the
 * SDK's own endpoint settings ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_LAMBDA}, ...), which
 * is how the infra tier points them at moto and the LocalStack tier at LocalStack.
 */
public record AwsClients(LambdaClient lambda, CloudWatchLogsClient logs, CloudWatchAlarms alarms) implements AutoCloseable {

    public static AwsClients create(String region) {
        Region r = Region.of(region);
        return new AwsClients(
                LambdaClient.builder().region(r).httpClient(UrlConnectionHttpClient.create()).build(),
                CloudWatchLogsClient.builder().region(r).httpClient(UrlConnectionHttpClient.create()).build(),
                CloudWatchAlarms.create(region));
    }

    @Override
    public void close() {
        lambda.close();
        logs.close();
        alarms.close();
    }
}
