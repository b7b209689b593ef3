package dev.pulse.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of validating a batch: either every item, in order, or a reason per bad field, named by the item's
 * index ({@code [3].score}; {@code [3]} when the item is not a JSON object).
 */
public record BatchValidation(List<NewItem> items, Map<String, String> fieldErrors) {

    public BatchValidation {
        items = List.copyOf(items);
        fieldErrors = Collections.unmodifiableMap(new LinkedHashMap<>(fieldErrors));   // in the items' order
    }

    public static BatchValidation valid(List<NewItem> items) {
        return new BatchValidation(items, Map.of());
    }

    public static BatchValidation invalid(Map<String, String> fieldErrors) {
        return new BatchValidation(List.of(), fieldErrors);
    }

    public boolean ok() {
        return fieldErrors.isEmpty();
    }
}
