package dev.pulse.core;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The tag rule (a ticker or topic): 1–16 characters of {@code [A-Z0-9._-]}. */
public final class Tags {

    private static final Pattern TAG = Pattern.compile("[A-Z0-9._-]{1,16}");
    /** Bounds a {@code ?tags=} filter so one request cannot ask for unbounded work. */
    public static final int MAX_FILTER_TAGS = 20;

    private Tags() {
    }

    public static boolean isValidTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    /**
     * Parses a comma-separated filter such as {@code AAPL,MSFT}. Empty or absent means "all tags".
     * Returns empty when any entry breaks the tag rule or there are too many.
     */
    public static Optional<Set<String>> parseFilter(String csv) {
        Set<String> tags = new LinkedHashSet<>();
        if (csv == null || csv.isEmpty()) {
            return Optional.of(tags);
        }
        for (String part : csv.split(",", -1)) {
            if (!isValidTag(part)) {
                return Optional.empty();
            }
            tags.add(part);
        }
        return tags.size() <= MAX_FILTER_TAGS ? Optional.of(tags) : Optional.empty();
    }

    /** Why {@code csv} is not a valid filter, in words a client can act on; empty when it is one. */
    public static Optional<String> filterProblem(String csv) {
        if (parseFilter(csv).isPresent()) {
            return Optional.empty();
        }
        String[] parts = csv.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                return Optional.of("tag " + (i + 1) + " of " + parts.length + " is empty (two commas, or one at an end)");
            }
            if (!isValidTag(part)) {
                String shown = part.length() > 20 ? part.substring(0, 20) + "..." : part;
                String hint = isValidTag(part.toUpperCase(java.util.Locale.ROOT)) ? "; tags are upper case: "
                        + part.toUpperCase(java.util.Locale.ROOT) : "";
                return Optional.of("'" + shown + "' is not a tag: 1-16 characters of A-Z, 0-9, '.', '_' or '-'" + hint);
            }
        }
        return Optional.of(parts.length + " tags; at most " + MAX_FILTER_TAGS + " per filter");
    }
}
