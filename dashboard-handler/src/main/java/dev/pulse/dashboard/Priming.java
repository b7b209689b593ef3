package dev.pulse.dashboard;

import dev.pulse.core.http.HttpRequest;
import dev.pulse.core.Deadline;
import dev.pulse.core.http.HttpResponse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Does in init what the first request would otherwise do, while Lambda gives init its CPU burst: the router and the
 * API's classes, the store's first DynamoDB calls (the SDK's first call builds its whole pipeline), the JSON writers,
 * the page's assets, and a write's parsing and validation, through the function's own router with synthetic requests.
 * Their answers go nowhere and no request line is written; the synthetic write is refused before it reaches the table
 * (an invalid item, or no key), so nothing is stored. A failure here is the first request's to have, not init's.
 */
final class Priming {

    /** {@code PULSE_PRIMING=off} skips it: how the bench measures a first request without it. */
    static final String VARIABLE = "PULSE_PRIMING";

    private Priming() {
    }

    static boolean enabled(Map<String, String> env) {
        return !"off".equalsIgnoreCase(env.getOrDefault(VARIABLE, "on").strip());
    }

    static void prime(Router router) {
        Map<String, String> json = Map.of("content-type", "application/json", "host", "priming.invalid");
        List<HttpRequest> requests = List.of(
                get("/health"), get("/api/v2/metrics"), get("/api/v2/items"), get("/api/v2/runtime"), get("/"),
                get("/api/v2/stream"),
                new HttpRequest("POST", "/api/v2/items", "", json, "{\"tag\":\"\",\"label\":\"none\",\"score\":2,\"text\":\"\"}",
                        false, deadline()));
        for (HttpRequest request : requests) {
            try {
                HttpResponse answer = router.route(request, new RequestNotes());
                FunctionUrlResponse.of(answer, false);
            } catch (RuntimeException | LinkageError e) {
                // the first real request meets it, with a client to tell
            }
        }
    }

    private static HttpRequest get(String path) {
        return new HttpRequest("GET", path, "", Map.of("host", "priming.invalid"), null, false, deadline());
    }

    private static Deadline deadline() {
        return Deadline.in(Duration.ofSeconds(5));
    }
}
