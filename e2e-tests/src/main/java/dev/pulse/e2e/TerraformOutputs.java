package dev.pulse.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed {@code terraform output -json} document: {@code {"name": {"value": ..., "type": ...,
 * "sensitive": bool}, ...}}. The local stack writes the same shape (only {@code value}).
 * Sensitive outputs appear with their values in {@code -json} mode; they are kept but never printed
 * by this class ({@link #toString()} lists names only).
 */
public final class TerraformOutputs {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, JsonNode> values;

    private TerraformOutputs(Map<String, JsonNode> values) {
        this.values = values;
    }

    /**
     * @param source where the document came from, for error messages
     * @throws TargetException if the text is not a JSON object of {@code {"value": ...}} entries
     */
    public static TerraformOutputs parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw new TargetException(source + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new TargetException(source + " is not a JSON object of outputs"
                    + " (expected the shape of `terraform output -json`)");
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode entry = e.getValue();
            if (!entry.isObject() || !entry.has("value")) {
                throw new TargetException(source + ": output \"" + e.getKey()
                        + "\" has no \"value\" (expected the shape of `terraform output -json`)");
            }
            values.put(e.getKey(), entry.get("value"));
        }
        return new TerraformOutputs(values);
    }

    /** The output's value when it is a non-blank string. */
    public Optional<String> string(String name) {
        JsonNode v = values.get(name);
        return v != null && v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
    }

    /** The raw JSON value of an output (any type), if present. */
    public Optional<JsonNode> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public Set<String> names() {
        return values.keySet();
    }

    @Override
    public String toString() {
        return "TerraformOutputs" + names();
    }
}
