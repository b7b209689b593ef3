package dev.pulse.sse;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CORS for the origins in {@code PULSE_CORS_ALLOWED_ORIGINS} (comma-separated, {@code *} = any), the same
 * rules as the dashboard's: an allowed {@code Origin} is echoed back (never {@code *}) and every answer says
 * {@code Vary: Origin}.
 */
public record Cors(Set<String> origins, boolean anyOrigin) {

    static final String ALLOW_HEADERS = "Last-Event-ID, Cache-Control, Content-Type";
    static final String MAX_AGE_SECONDS = "600";

    public Cors {
        origins = Set.copyOf(origins);
    }

    static Cors parse(String csv) {
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
        return new Cors(origins, any);
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

    /** The CORS headers an answer to {@code origin} carries (none when CORS is not configured). */
    Map<String, String> headersFor(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (enabled()) {
            headers.put("Vary", "Origin");
            if (allows(origin)) {
                headers.put("Access-Control-Allow-Origin", origin);
            }
        }
        return headers;
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
