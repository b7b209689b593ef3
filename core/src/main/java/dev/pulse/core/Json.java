package dev.pulse.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes Pulse sends: one place, so the API and the stream say the same thing. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ObjectNode item(Item item) {
        ObjectNode node = object()
                .put("id", item.id())
                .put("tag", item.tag())
                .put("label", item.label())
                .put("score", item.score())
                .put("text", item.text());
        if (item.source() != null) {
            node.put("source", item.source());
        } else {
            node.putNull("source");
        }
        return node.put("ts", item.ts());
    }

    public static ObjectNode metrics(Metrics metrics) {
        ObjectNode node = object()
                .put("total", metrics.total())
                .put("positive", metrics.positive())
                .put("neutral", metrics.neutral())
                .put("negative", metrics.negative());
        ObjectNode byTag = node.putObject("by_tag");
        new TreeMap<>(metrics.byTag()).forEach(byTag::put);
        if (!metrics.byTagLabels().isEmpty()) {
            ObjectNode split = node.putObject("by_tag_labels");
            new TreeMap<>(metrics.byTagLabels()).forEach((tag, labels) -> split.putObject(tag)
                    .put("positive", labels.positive())
                    .put("neutral", labels.neutral())
                    .put("negative", labels.negative()));
        }
        if (metrics.byTagTruncated()) {
            node.put("by_tag_truncated", true);   // only then: the usual shape stays the documented one
        }
        if (metrics.updatedAt() != null) {
            node.put("updated_at", metrics.updatedAt());
        } else {
            node.putNull("updated_at");
        }
        return node;
    }

    /** {@code {"error": code, "message": message}}, the body of every error response. */
    public static ObjectNode error(String code, String message) {
        return object().put("error", code).put("message", message);
    }

    public static ObjectNode error(String code, String message, Map<String, String> fields) {
        ObjectNode node = error(code, message);
        ObjectNode f = node.putObject("fields");
        fields.forEach(f::put);
        return node;
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode always serialises", e);
        }
    }

    /** Parses a JSON document; throws {@link JsonProcessingException} on anything that is not one. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(text);
        if (node == null || node.isMissingNode()) {
            throw new com.fasterxml.jackson.core.JsonParseException(null, "empty document");
        }
        return node;
    }
}
