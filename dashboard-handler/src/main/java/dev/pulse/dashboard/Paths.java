package dev.pulse.dashboard;

/** Request path rules shared by every route (the SSE function applies the same ones). */
final class Paths {

    static final String STREAM = "/api/v2/stream";

    private Paths() {
    }

    /** Collapses runs of {@code /} and drops a trailing {@code /}: {@code //api//v2/items/} → {@code /api/v2/items}. */
    static String normalise(String raw) {
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
    static boolean isStream(String path) {
        return path.equals(STREAM) || path.startsWith(STREAM + "/");
    }
}
