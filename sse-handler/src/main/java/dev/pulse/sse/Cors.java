package dev.pulse.sse;

import dev.pulse.core.CorsOrigins;

import java.util.Map;

/**
 * CORS of the SSE function: the origins are read as {@link CorsOrigins} (the dashboard's rules); a
 * preflight may ask for {@code Last-Event-ID}, which a resuming {@code EventSource} sends.
 */
public record Cors(CorsOrigins origins) {

    static final String ALLOW_HEADERS = "Last-Event-ID, Cache-Control, Content-Type";
    static final String MAX_AGE_SECONDS = "600";

    static Cors parse(String csv) {
        return new Cors(CorsOrigins.parse(csv));
    }

    boolean enabled() {
        return origins.enabled();
    }

    boolean allows(String origin) {
        return origins.allows(origin);
    }

    /** The CORS headers an answer to {@code origin} carries (none when CORS is not configured). */
    Map<String, String> headersFor(String origin) {
        return origins.headersFor(origin);
    }

    /** The answer to a preflight for a path that allows {@code allow}. */
    Response preflight(String origin, String allow) {
        if (!allows(origin)) {
            return Response.error(403, "cors_origin_not_allowed",
                    "origin " + origin + " is not in PULSE_CORS_ALLOWED_ORIGINS").withHeader("Vary", "Origin");
        }
        return Response.empty(204)
                .withHeader("Access-Control-Allow-Origin", origin)
                .withHeader("Access-Control-Allow-Methods", allow)
                .withHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
                .withHeader("Access-Control-Max-Age", MAX_AGE_SECONDS)
                .withHeader("Vary", "Origin")
                .withHeader("Allow", allow);
    }
}
