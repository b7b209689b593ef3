package dev.pulse.sse;

/** Request path rules, the same as the dashboard's: {@code //} collapsed, trailing {@code /} ignored. */
final class Paths {

    static final String STREAM = "/api/v2/stream";
    static final String STATUS = "/api/v2/stream/status";
    static final String HEALTH = "/health";

    private Paths() {
    }

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
}
