package dev.pulse.e2e.client;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * SigV4 for Function URLs with {@code AWS_IAM} auth: the AWS SDK's {@link AwsV4HttpSigner},
 * service {@code lambda}. Normally the signature goes in the {@code Authorization} header; when the
 * request must also carry the API key as {@code Authorization: Bearer}, the signature moves to the
 * query string ({@code X-Amz-Signature} etc.) so the two do not collide.
 */
public final class SigV4 {

    /** A signed request: the URI to use (query-signed or not) and every header to send (input + signing). */
    public record Signed(URI uri, Map<String, List<String>> headers) {
    }

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final String region;
    private final Supplier<? extends AwsCredentialsIdentity> credentials;
    private final Clock clock;

    /** Credentials from the SDK's default chain (env, profile, container, instance role). */
    public SigV4(String region) {
        this(region, DefaultCredentialsProvider.builder().build()::resolveCredentials, Clock.systemUTC());
    }

    public SigV4(String region, Supplier<? extends AwsCredentialsIdentity> credentials, Clock clock) {
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
    }

    /**
     * @param headers the headers that will be sent (they are signed too)
     * @param inQuery put the signature in the query string instead of {@code Authorization}
     */
    public Signed sign(String method, URI uri, Map<String, String> headers, String body, boolean inQuery) {
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(b::putHeader);
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SignedRequest signed = signer.sign(r -> r
                .identity(credentials.get())
                .request(b.build())
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, inQuery
                        ? AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING
                        : AwsV4FamilyHttpSigner.AuthLocation.HEADER));
        return new Signed(signed.request().getUri(), new LinkedHashMap<>(signed.request().headers()));
    }
}
