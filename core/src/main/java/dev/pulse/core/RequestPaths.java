package dev.pulse.core;

/**
 * The path rule both functions route by: runs of {@code /} collapse and a trailing {@code /} is
 * ignored, so {@code //api//v2/items/} is {@code /api/v2/items}.
 */
public final class RequestPaths {
    private RequestPaths() {
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
}
