package dev.pulse.e2e.client;

import java.util.Map;

/**
 * How the client authenticates, from the environment.
 *
 * @param apiKey  {@code E2E_API_KEY}: sent as {@code Authorization: Bearer} on writes; null = none
 * @param awsIam  {@code E2E_AUTH=aws_iam}: every request is SigV4-signed for service {@code lambda}
 *                (Function URLs with {@code authorization_type = AWS_IAM})
 * @param region  {@code AWS_REGION} (else {@code AWS_DEFAULT_REGION}); required with {@code awsIam}
 */
public record ClientAuth(String apiKey, boolean awsIam, String region) {

    public static final ClientAuth NONE = new ClientAuth(null, false, null);

    public ClientAuth {
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        if (awsIam && (region == null || region.isBlank())) {
            throw new IllegalArgumentException("E2E_AUTH=aws_iam needs AWS_REGION (the region of the Function URLs)");
        }
    }

    public static ClientAuth fromEnvironment(Map<String, String> env) {
        String auth = env.getOrDefault("E2E_AUTH", "none").trim();
        boolean iam = switch (auth) {
            case "aws_iam" -> true;
            case "", "none" -> false;
            default -> throw new IllegalArgumentException("E2E_AUTH must be aws_iam or none, got \"" + auth + "\"");
        };
        String region = env.get("AWS_REGION");
        if (region == null || region.isBlank()) {
            region = env.get("AWS_DEFAULT_REGION");
        }
        return new ClientAuth(env.get("E2E_API_KEY"), iam, region);
    }

    public ClientAuth withApiKey(String key) {
        return new ClientAuth(key, awsIam, region);
    }

    @Override
    public String toString() {
        return "ClientAuth[apiKey=" + (apiKey == null ? "none" : "***") + ", awsIam=" + awsIam + ", region=" + region + "]";
    }
}
