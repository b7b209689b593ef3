package dev.pulse.core.http;

/**
 * The paths of both functions and the rules they route by: runs of {@code /} collapse and a trailing
 * {@code /} is ignored, so {@code //api//v2/items/} is {@code /api/v2/items}; a stream path is
 * {@code /api/v2/stream} or anything under it, and belongs to the SSE function.
 */
public final class Routes {

    public static final String ROOT = "/";
    public static final String HEALTH = "/health";
    public static final String ITEMS = "/api/v2/items";
    public static final String METRICS = "/api/v2/metrics";
    public static final String RUNTIME = "/api/v2/runtime";
    public static final String STREAM = "/api/v2/stream";
    public static final String STREAM_STATUS = "/api/v2/stream/status";

    private Routes() {
    }

    public static String normalise(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(raw.length() + 1);
        if (raw.charAt(0) != '/') {
            out.append('/');
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '/' && out.length() > 0 && out.charAt(out.length() - 1) == '/') {
                continue;
            }
            out.append(c);
        }
        if (out.length() > 1 && out.charAt(out.length() - 1) == '/') {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    /**
     * True for {@code /api/v2/stream} and anything under {@code /api/v2/stream/}: those belong to the SSE
     * function. {@code /api/v2/streamer} is not a stream path. Expects a normalised path.
     */
    public static boolean isStream(String path) {
        return path.equals(STREAM) || path.startsWith(STREAM + "/");
    }
}
