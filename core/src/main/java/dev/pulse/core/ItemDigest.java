package dev.pulse.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What "the same body" means for an {@link IdempotencyKey}: the same fields, whatever the JSON's spacing or
 * field order. A batch is its items in order; a batch of one is not the single item (the answers differ in shape).
 */
final class ItemDigest {

    private ItemDigest() {
    }

    static String of(NewItem item) {
        return Sha256.hex(Json.write(canonical(item)));
    }

    static String of(List<NewItem> batch) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        batch.forEach(item -> items.add(canonical(item)));
        return Sha256.hex(Json.write(items));
    }

    private static ObjectNode canonical(NewItem item) {
        return Json.object()
                .put("tag", item.tag())
                .put("label", item.label())
                .put("score", item.score())
                .put("text", item.text())
                .put("source", item.source());
    }
}
