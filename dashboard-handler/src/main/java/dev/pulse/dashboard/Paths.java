package dev.pulse.dashboard;

import dev.pulse.core.RequestPaths;

/** Request path rules shared by every route (the SSE function applies the same ones). */
final class Paths {

    static final String STREAM = "/api/v2/stream";

    private Paths() {
    }

    /** The rule both functions share: {@link RequestPaths#normalise}. */
    static String normalise(String raw) {
        return RequestPaths.normalise(raw);
    }

    /**
     * True for {@code /api/v2/stream} and anything under {@code /api/v2/stream/}: those belong to the SSE
     * function. {@code /api/v2/streamer} is not a stream path. Expects a normalised path.
     */
    static boolean isStream(String path) {
        return path.equals(STREAM) || path.startsWith(STREAM + "/");
    }
}
