package dev.pulse.dashboard;

import dev.pulse.core.http.Cors;

import java.net.URI;
import java.util.Map;

/**
 * The dashboard's settings, read from the function's environment (same names locally and on AWS).
 *
 * @param apiKey  {@code PULSE_API_KEY_SHA256}: the write key's digest (two during a rotation); absent = writes are open
 * @param sseUrl  {@code SSE_URL}: the SSE Function URL, always ending in {@code /}; null when unset
 * @param version {@code PULSE_VERSION}, default {@code dev}
 * @param cors    {@code PULSE_CORS_ALLOWED_ORIGINS}
 */
record DashboardConfig(ApiKey apiKey, String sseUrl, String version, Cors cors) {

    /** A page may send the write key and an Idempotency-Key, and read where an item was stored. */
    static final String CORS_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key";
    static final String CORS_EXPOSE_HEADERS = "Location, WWW-Authenticate";

    static DashboardConfig fromEnvironment(Map<String, String> env) {
        String version = env.getOrDefault("PULSE_VERSION", "");
        return new DashboardConfig(
                ApiKey.fromEnvironment(env.get(ApiKey.DIGESTS_VARIABLE), env.get(ApiKey.PLAINTEXT_VARIABLE)),
                sseUrl(env.get("SSE_URL")),
                version.isBlank() ? "dev" : version.strip(),
                Cors.parse(env.get("PULSE_CORS_ALLOWED_ORIGINS"), CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS));
    }

    /** Function URLs end with {@code /}; so does this, so {@code sseUrl + "api/v2/stream"} is always right. */
    private static String sseUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String url = raw.strip();
        return url.endsWith("/") ? url : url + "/";
    }

    /** {@code scheme://host[:port]} of the SSE URL, for the page's Content-Security-Policy; null if none. */
    String sseOrigin() {
        if (sseUrl == null) {
            return null;
        }
        try {
            URI uri = URI.create(sseUrl);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Where a stream request for {@code path} should have gone, or null without an SSE URL. */
    String streamUrl(String path) {
        return sseUrl == null ? null : sseUrl + path.substring(1);
    }
}
