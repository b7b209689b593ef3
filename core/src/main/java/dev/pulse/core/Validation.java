package dev.pulse.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The outcome of validating a submitted item: either the item or a reason per bad field. */
public record Validation(NewItem item, Map<String, String> fieldErrors) {

    public Validation {
        fieldErrors = Collections.unmodifiableMap(new LinkedHashMap<>(fieldErrors));   // in the order they were found
    }

    public static Validation valid(NewItem item) {
        return new Validation(item, Map.of());
    }

    public static Validation invalid(Map<String, String> fieldErrors) {
        return new Validation(null, fieldErrors);
    }

    public boolean ok() {
        return item != null;
    }
}
