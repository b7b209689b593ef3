package dev.pulse.dashboard;

import dev.pulse.core.CorsOrigins;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CORS of the dashboard: the origins are read as {@link CorsOrigins} (shared with the SSE function);
 * an allowed origin may also read {@code Location} and {@code WWW-Authenticate}, and a preflight may
 * ask for {@code Authorization} (the write key) and {@code Content-Type}.
 */
record CorsPolicy(CorsOrigins origins) {

    static final String ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key";
    static final String EXPOSE_HEADERS = "Location, WWW-Authenticate";
    static final String MAX_AGE_SECONDS = "600";

    static CorsPolicy parse(String csv) {
        return new CorsPolicy(CorsOrigins.parse(csv));
    }

    boolean enabled() {
        return origins.enabled();
    }

    boolean allows(String origin) {
        return origins.allows(origin);
    }

    /** Adds the CORS headers a response to {@code origin} needs (none when CORS is not configured). */
    Response decorate(Response response, String origin) {
        Map<String, String> headers = new LinkedHashMap<>(origins.headersFor(origin));
        if (headers.containsKey("Access-Control-Allow-Origin")) {
            headers.put("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        }
        return headers.isEmpty() ? response : response.withHeaders(headers);
    }

    /**
     * The answer to a preflight ({@code OPTIONS} with {@code Origin} and
     * {@code Access-Control-Request-Method}) for a path that allows {@code allow}.
     */
    Response preflight(String origin, String allow) {
        if (!allows(origin)) {
            return Response.error(403, "cors_origin_not_allowed",
                            "origin " + origin + " is not in PULSE_CORS_ALLOWED_ORIGINS")
                    .withHeader("Vary", "Origin");
        }
        return Response.empty(204).withHeaders(Map.of(
                "Access-Control-Allow-Origin", origin,
                "Access-Control-Allow-Methods", allow,
                "Access-Control-Allow-Headers", ALLOW_HEADERS,
                "Access-Control-Max-Age", MAX_AGE_SECONDS,
                "Vary", "Origin",
                "Allow", allow));
    }
}
