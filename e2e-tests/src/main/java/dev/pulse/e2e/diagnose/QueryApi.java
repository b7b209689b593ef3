package dev.pulse.e2e.diagnose;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One call to an AWS Query-protocol API (CloudWatch, IAM): a SigV4-signed form POST, for the APIs this build has no
 * SDK client for (see {@link CloudWatchAlarms}). The answer comes back as it is, status and XML body.
 */
final class QueryApi {

    private QueryApi() {
    }

    /** {@code body} is the encoded form ({@code Action=...&Version=...&...}); {@code service} is the signing name. */
    static HttpResponse<byte[]> post(HttpClient http, URI endpoint, String service, String region,
                                     AwsCredentialsIdentity identity, String body) throws IOException, InterruptedException {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        signed.request().forEachHeader((header, values) -> {
            // HttpClient sets these itself and refuses them as headers
            if (!header.equalsIgnoreCase("host") && !header.equalsIgnoreCase("content-length")) {
                values.forEach(v -> builder.header(header, v));
            }
        });
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
