package dev.pulse.dashboard;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CORS for the origins in {@code PULSE_CORS_ALLOWED_ORIGINS} (comma-separated, {@code *} = any). An
 * allowed {@code Origin} is echoed back (never {@code *}), and every response says {@code Vary: Origin}
 * so a cache never hands one origin's answer to another.
 */
record CorsPolicy(Set<String> origins, boolean anyOrigin) {

    static final String ALLOW_HEADERS = "Authorization, Content-Type";
    static final String EXPOSE_HEADERS = "Location, WWW-Authenticate";
    static final String MAX_AGE_SECONDS = "600";

    CorsPolicy {
        origins = Set.copyOf(origins);
    }

    static CorsPolicy parse(String csv) {
        Set<String> origins = new LinkedHashSet<>();
        boolean any = false;
        if (csv != null) {
            for (String part : csv.split(",")) {
                String origin = part.trim();
                if (origin.equals("*")) {
                    any = true;
                } else if (!origin.isEmpty()) {
                    origins.add(canonical(origin));
                }
            }
        }
        return new CorsPolicy(origins, any);
    }

    /** Origins compare case-insensitively and without a trailing slash (people paste URLs). */
    private static String canonical(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }

    boolean enabled() {
        return anyOrigin || !origins.isEmpty();
    }

    boolean allows(String origin) {
        return origin != null && !origin.isEmpty() && (anyOrigin || origins.contains(canonical(origin)));
    }

    /** Adds the CORS headers a response to {@code origin} needs (none when CORS is not configured). */
    Response decorate(Response response, String origin) {
        if (!enabled()) {
            return response;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Vary", "Origin");
        if (allows(origin)) {
            headers.put("Access-Control-Allow-Origin", origin);
            headers.put("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        }
        return response.withHeaders(headers);
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
