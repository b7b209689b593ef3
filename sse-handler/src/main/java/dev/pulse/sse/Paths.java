package dev.pulse.sse;

import dev.pulse.core.RequestPaths;

/** Request path rules, the same as the dashboard's: {@code //} collapsed, trailing {@code /} ignored. */
final class Paths {

    static final String STREAM = "/api/v2/stream";
    static final String STATUS = "/api/v2/stream/status";
    static final String HEALTH = "/health";
    static final String ROOT = "/";

    private Paths() {
    }

    static String normalise(String raw) {
        return RequestPaths.normalise(raw);
    }
}
