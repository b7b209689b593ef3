package dev.pulse.sse.app;

import dev.pulse.core.http.Cors;

import java.time.Duration;
import java.util.Map;

/**
 * The SSE function's settings, read once at init from the same env vars locally and on AWS. A bad value
 * fails init (reported to {@code /runtime/init/error}) instead of producing a stream with odd timing.
 *
 * @param cors {@code PULSE_CORS_ALLOWED_ORIGINS}, and what a page may send: {@code Last-Event-ID}, which a
 *             resuming {@code EventSource} sends
 */
public record SseConfig(Duration heartbeatInterval, Duration maxStream, Duration pollInterval, String version,
                        Cors cors) {

    static final String CORS_ALLOW_HEADERS = "Last-Event-ID, Cache-Control, Content-Type";

    static final int DEFAULT_HEARTBEAT_SECONDS = 30;
    /**
     * Short, so that an environment whose client has gone (Lambda cannot tell) is free within a minute; a live
     * client reconnects within {@link EventSink#ROTATION_RETRY_MS} and loses nothing. Longer streams are one setting
     * away, at the price of an abandoned environment held that long.
     */
    static final int DEFAULT_MAX_STREAM_SECONDS = 50;
    static final int DEFAULT_POLL_INTERVAL_MS = 1000;

    public static SseConfig fromEnvironment(Map<String, String> env) {
        int heartbeat = intVar(env, "SSE_HEARTBEAT_INTERVAL_SECONDS", DEFAULT_HEARTBEAT_SECONDS, 1, 3600);
        // A Lambda invocation lasts at most 15 minutes; the deadline rule ends streams before that anyway.
        int maxStream = intVar(env, "SSE_MAX_STREAM_SECONDS", DEFAULT_MAX_STREAM_SECONDS, 1, 900);
        int poll = intVar(env, "SSE_POLL_INTERVAL_MS", DEFAULT_POLL_INTERVAL_MS, 50, 60_000);
        String version = env.getOrDefault("PULSE_VERSION", "");
        return new SseConfig(Duration.ofSeconds(heartbeat), Duration.ofSeconds(maxStream), Duration.ofMillis(poll),
                version.isBlank() ? "dev" : version.strip(),
                Cors.parse(env.get("PULSE_CORS_ALLOWED_ORIGINS"), CORS_ALLOW_HEADERS, null));
    }

    private static int intVar(Map<String, String> env, String name, int fallback, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + raw + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
