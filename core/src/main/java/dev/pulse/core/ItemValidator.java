package dev.pulse.core;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a submitted item (the JSON body of {@code POST /api/v2/items}), or each item of a batch, against the field
 * rules and names every broken field with a human reason, so a client can fix all of them in one go.
 */
public final class ItemValidator {

    public static final int MAX_TEXT = 2000;
    public static final int MAX_SOURCE = 100;
    /**
     * The smallest magnitude other than 0 a DynamoDB number can hold (1E-130 to 9.99...E+125, 38 digits).
     * A score below it would pass the 0-1 rule and then fail at the store as a 503.
     */
    static final double DYNAMODB_MIN_MAGNITUDE = 1e-130;
    private static final Set<String> FIELDS = Set.of("tag", "label", "score", "text", "source");
    private static final Set<String> SERVER_FIELDS = Set.of("id", "ts");

    private ItemValidator() {
    }

    public static Validation validate(JsonNode body) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (body == null || !body.isObject()) {
            errors.put("body", "must be a JSON object");
            return Validation.invalid(errors);
        }
        String tag = requiredString(body, "tag", errors);
        if (tag != null && !Tags.isValidTag(tag)) {
            errors.put("tag", "must be 1-16 characters of A-Z, 0-9, '.', '_' or '-'");
        }
        String label = requiredString(body, "label", errors);
        if (label != null && !Labels.isValid(label)) {
            errors.put("label", "must be one of positive, neutral, negative");
        }
        double score = score(body, errors);
        String text = requiredString(body, "text", errors);
        if (text != null && (text.isEmpty() || text.codePointCount(0, text.length()) > MAX_TEXT)) {
            errors.put("text", "must be 1-" + MAX_TEXT + " characters");
        }
        String source = optionalString(body, "source", errors);
        if (source != null && source.codePointCount(0, source.length()) > MAX_SOURCE) {
            errors.put("source", "must be at most " + MAX_SOURCE + " characters");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (SERVER_FIELDS.contains(name)) {
                errors.put(name, "is assigned by the server and must not be sent");
            } else if (!FIELDS.contains(name)) {
                errors.put(name, "is not a known field");
            }
        }
        if (!errors.isEmpty()) {
            return Validation.invalid(errors);
        }
        return Validation.valid(new NewItem(tag, label, score, text, source == null || source.isEmpty() ? null : source));
    }

    /**
     * Each item of a batch (a JSON array of 1 to {@link ItemStore#MAX_BATCH} items; the caller checks the count):
     * the items when all are valid, else every broken field named by the item's index counted from 0 ({@code [3].score}).
     */
    public static BatchValidation validateBatch(JsonNode array) {
        List<NewItem> items = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (int i = 0; i < array.size(); i++) {
            Validation one = validate(array.get(i));
            if (one.ok()) {
                items.add(one.item());
            }
            String index = "[" + i + "]";
            one.fieldErrors().forEach((field, reason) -> errors.put(field.equals("body") ? index : index + "." + field,
                    reason));
        }
        return errors.isEmpty() ? BatchValidation.valid(items) : BatchValidation.invalid(errors);
    }

    private static String requiredString(JsonNode body, String field, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            errors.put(field, "is required");
            return null;
        }
        return text(node, field, errors);
    }

    private static String optionalString(JsonNode body, String field, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return text(node, field, errors);
    }

    private static String text(JsonNode node, String field, Map<String, String> errors) {
        if (!node.isTextual()) {
            errors.put(field, "must be a string");
            return null;
        }
        String text = node.textValue();
        if (!isWellFormed(text)) {
            // A JSON string can hold a lone surrogate escape; no UTF-8 store can keep it, so it is the client's error.
            errors.put(field, "must be valid Unicode text (it has an unpaired surrogate \\uD800-\\uDFFF escape)");
            return null;
        }
        return text;
    }

    /** True when every surrogate in {@code text} is half of a pair, i.e. it can be encoded as UTF-8. */
    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static double score(JsonNode body, Map<String, String> errors) {
        JsonNode node = body.get("score");
        if (node == null || node.isNull()) {
            errors.put("score", "is required");
            return Double.NaN;
        }
        if (!node.isNumber()) {
            errors.put("score", "must be a number");
            return Double.NaN;
        }
        double score = node.doubleValue();
        if (!(score >= 0.0 && score <= 1.0)) {
            errors.put("score", "must be between 0.0 and 1.0");
        } else if (score != 0.0 && score < DYNAMODB_MIN_MAGNITUDE) {
            // A double has at most 17 significant digits, so only the magnitude can exceed DynamoDB's range.
            errors.put("score", "must be 0 or at least 1e-130 (the smallest number DynamoDB stores)");
        }
        return score;
    }
}
