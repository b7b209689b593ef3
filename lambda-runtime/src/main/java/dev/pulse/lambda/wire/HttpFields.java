package dev.pulse.lambda.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The header (or trailer) fields of one HTTP/1.1 message, in the order they came, each name as it was written.
 * Look-ups ignore case; a name sent more than once keeps every value. {@link #get} joins them with commas, which is
 * how HTTP combines repeated fields (RFC 9110, section 5.3) and how a Function URL event carries them.
 */
public final class HttpFields {

    /** One field line: its name as written, and its value. */
    public record Field(String name, String value) {
    }

    private static final HttpFields EMPTY = new HttpFields(List.of());

    private final List<Field> lines;
    private final Map<String, List<String>> byName;

    private HttpFields(List<Field> lines) {
        this.lines = lines;
        Map<String, List<String>> index = new LinkedHashMap<>();
        for (Field field : lines) {
            index.computeIfAbsent(field.name().toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(field.value());
        }
        index.replaceAll((name, values) -> List.copyOf(values));
        this.byName = Collections.unmodifiableMap(index);
    }

    public static HttpFields empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every value of {@code name} joined with commas; null when it was not sent. */
    public String get(String name) {
        List<String> all = byName.get(name.toLowerCase(Locale.ROOT));
        return all == null ? null : String.join(",", all);
    }

    /** Every value of {@code name}, in the order they came; empty when it was not sent. */
    public List<String> all(String name) {
        return byName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The names in lower case, in the order they first came. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** Every field line as it came. */
    public List<Field> lines() {
        return lines;
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    @Override
    public String toString() {
        return lines.toString();
    }

    /** Collects field lines in order. */
    public static final class Builder {
        private final List<Field> lines = new ArrayList<>();

        private Builder() {
        }

        public Builder add(String name, String value) {
            lines.add(new Field(name, value));
            return this;
        }

        public HttpFields build() {
            return lines.isEmpty() ? EMPTY : new HttpFields(List.copyOf(lines));
        }
    }
}
