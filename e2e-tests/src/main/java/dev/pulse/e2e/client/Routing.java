package dev.pulse.e2e.client;

/**
 * The one routing rule of the e2e client (docs/architecture.md#the-e2e-suite): which of the two functions a path belongs to.
 * See {@link PulseClient} for why it matters.
 */
public final class Routing {
    private static final String STREAM = "/api/v2/stream";

    private Routing() {
    }

    /**
     * True for {@code /api/v2/stream} and every path under {@code /api/v2/stream/}; false for
     * everything else, including {@code /api/v2/streamer}. A query string or fragment is ignored,
     * and repeated slashes are collapsed the way the SSE function normalises paths (docs/architecture.md#the-sse-function).
     */
    public static boolean isStreamPath(String pathAndQuery) {
        if (pathAndQuery == null) {
            return false;
        }
        int cut = indexOfAny(pathAndQuery, '?', '#');
        String path = (cut < 0 ? pathAndQuery : pathAndQuery.substring(0, cut)).replaceAll("/{2,}", "/");
        return path.equals(STREAM) || path.startsWith(STREAM + "/");
    }

    /** Which base URL a path goes to. */
    public static FunctionTarget route(String pathAndQuery) {
        return isStreamPath(pathAndQuery) ? FunctionTarget.SSE : FunctionTarget.DASHBOARD;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
    }
}
