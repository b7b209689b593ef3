package dev.pulse.core;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The origins in {@code PULSE_CORS_ALLOWED_ORIGINS} (comma-separated, {@code *} = any), read the same
 * way by both functions. An allowed {@code Origin} is echoed back (never {@code *}), and every answer
 * says {@code Vary: Origin} so a cache never hands one origin's answer to another. What each function
 * allows in a preflight stays with the function.
 */
public record CorsOrigins(Set<String> origins, boolean anyOrigin) {

    public CorsOrigins {
        origins = Set.copyOf(origins);
    }

    public static CorsOrigins parse(String csv) {
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
        return new CorsOrigins(origins, any);
    }

    /** Origins compare case-insensitively and without a trailing slash (people paste URLs). */
    private static String canonical(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** False when no origin is configured: then no CORS header is sent at all. */
    public boolean enabled() {
        return anyOrigin || !origins.isEmpty();
    }

    public boolean allows(String origin) {
        return origin != null && !origin.isEmpty() && (anyOrigin || origins.contains(canonical(origin)));
    }

    /** {@code Vary} and, for an allowed origin, {@code Access-Control-Allow-Origin}; none when not enabled. */
    public Map<String, String> headersFor(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (enabled()) {
            headers.put("Vary", "Origin");
            if (allows(origin)) {
                headers.put("Access-Control-Allow-Origin", origin);
            }
        }
        return headers;
    }
}
