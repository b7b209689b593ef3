package dev.pulse.core.http;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CORS for one function: the origins of {@code PULSE_CORS_ALLOWED_ORIGINS} (comma-separated, {@code *} = any),
 * read the same way by both functions, and what that function lets a page send ({@code allowHeaders}) and
 * read ({@code exposeHeaders}, may be null). An allowed {@code Origin} is echoed back (never {@code *}), and
 * every answer says {@code Vary: Origin} so a cache never hands one origin's answer to another.
 */
public record Cors(Set<String> origins, boolean anyOrigin, String allowHeaders, String exposeHeaders) {

    public static final String MAX_AGE_SECONDS = "600";

    public Cors {
        origins = Set.copyOf(origins);
    }

    public static Cors parse(String csv, String allowHeaders, String exposeHeaders) {
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
        return new Cors(origins, any, allowHeaders, exposeHeaders);
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

    /**
     * {@code Vary} and, for an allowed origin, {@code Access-Control-Allow-Origin} and the exposed headers;
     * none when CORS is not configured.
     */
    public Map<String, String> headersFor(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (enabled()) {
            headers.put("Vary", "Origin");
            if (allows(origin)) {
                headers.put("Access-Control-Allow-Origin", origin);
                if (exposeHeaders != null) {
                    headers.put("Access-Control-Expose-Headers", exposeHeaders);
                }
            }
        }
        return headers;
    }

    /** Adds the CORS headers an answer to {@code origin} needs. */
    public HttpResponse decorate(HttpResponse response, String origin) {
        Map<String, String> headers = headersFor(origin);
        return headers.isEmpty() ? response : response.withHeaders(headers);
    }

    /**
     * The answer to a preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
     * for a path that allows the methods {@code allow}.
     */
    public HttpResponse preflight(String origin, String allow) {
        if (!allows(origin)) {
            return HttpResponse.error(403, "cors_origin_not_allowed",
                    "origin " + origin + " is not in PULSE_CORS_ALLOWED_ORIGINS").withHeader("Vary", "Origin");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Origin", origin);
        headers.put("Access-Control-Allow-Methods", allow);
        headers.put("Access-Control-Allow-Headers", allowHeaders);
        headers.put("Access-Control-Max-Age", MAX_AGE_SECONDS);
        headers.put("Vary", "Origin");
        headers.put("Allow", allow);
        return HttpResponse.empty(204).withHeaders(headers);
    }
}
