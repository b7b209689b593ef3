package dev.pulse.e2e.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request for {@link PulseClient}: immutable, built with the {@code with*} methods.
 *
 * @param method   HTTP method
 * @param path     absolute path with optional query, e.g. {@code /api/v2/items?limit=5}
 * @param body     request body (UTF-8) or null
 * @param headers  extra headers; an explicit {@code Authorization} replaces the API key
 * @param sendKey  whether a write carries {@code E2E_API_KEY} as {@code Authorization: Bearer}
 * @param forced   null = route by {@link Routing}; else send to this base regardless (misrouting tests)
 * @param timeout  time allowed until the response headers arrive
 * @param autoIdempotencyKey whether a {@code POST} without an {@code Idempotency-Key} header gets a fresh one
 */
public record Request(String method, String path, String body, Map<String, String> headers, boolean sendKey,
                      FunctionTarget forced, Duration timeout, boolean autoIdempotencyKey) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Request {
        Objects.requireNonNull(method);
        Objects.requireNonNull(path);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        headers = Map.copyOf(headers);
        Objects.requireNonNull(timeout);
    }

    public static Request get(String path) {
        return new Request("GET", path, null, Map.of(), true, null, DEFAULT_TIMEOUT, true);
    }

    public static Request post(String path, String jsonBody) {
        return new Request("POST", path, jsonBody, Map.of("Content-Type", "application/json"), true, null,
                DEFAULT_TIMEOUT, true);
    }

    public static Request of(String method, String path) {
        return new Request(method, path, null, Map.of(), true, null, DEFAULT_TIMEOUT, true);
    }

    public Request withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Request(method, path, body, h, sendKey, forced, timeout, autoIdempotencyKey);
    }

    public Request withBody(String newBody) {
        return new Request(method, path, newBody, headers, sendKey, forced, timeout, autoIdempotencyKey);
    }

    /** A write without the API key (to see the 401). */
    public Request withoutKey() {
        return new Request(method, path, body, headers, false, forced, timeout, autoIdempotencyKey);
    }

    /** A {@code POST} sent without an {@code Idempotency-Key} (a client that sends none, such as curl). */
    public Request withoutIdempotencyKey() {
        return new Request(method, path, body, headers, sendKey, forced, timeout, false);
    }

    /** Bypasses routing: only for tests that prove what happens when a request goes to the wrong function. */
    public Request to(FunctionTarget base) {
        return new Request(method, path, body, headers, sendKey, base, timeout, autoIdempotencyKey);
    }

    public Request withTimeout(Duration t) {
        return new Request(method, path, body, headers, sendKey, forced, t, autoIdempotencyKey);
    }

    /** Writes are what carry the API key (docs/architecture.md#the-dashboard-function). */
    public boolean isWrite() {
        return switch (method) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }
}
