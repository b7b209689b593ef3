package dev.pulse.core;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

import static dev.pulse.core.PulseTable.ITEM_PK;
import static dev.pulse.core.PulseTable.PK;
import static dev.pulse.core.PulseTable.SK;
import static dev.pulse.core.PulseTable.TAG;

/** Items as DynamoDB attributes and back (layout in {@link PulseTable}), and the attribute values the store writes. */
final class ItemCodec {

    private ItemCodec() {
    }

    /** The item's record: its key ({@code pk=ITEM, sk=<id>}), its fields; no {@code source} attribute when it has none. */
    static Map<String, AttributeValue> attributes(Item item) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(PK, s(ITEM_PK));
        values.put(SK, s(item.id()));
        values.put(TAG, s(item.tag()));
        values.put("label", s(item.label()));
        values.put("score", AttributeValue.fromN(Double.toString(item.score())));
        values.put("text", s(item.text()));
        if (item.source() != null) {
            values.put("source", s(item.source()));
        }
        values.put("ts", s(item.ts()));
        return values;
    }

    /** The item in a record {@link #attributes} wrote; attributes it does not know are ignored. */
    static Item item(Map<String, AttributeValue> row) {
        AttributeValue source = row.get("source");
        return new Item(row.get(SK).s(), row.get(TAG).s(), row.get("label").s(),
                Double.parseDouble(row.get("score").n()), row.get("text").s(),
                source == null ? null : source.s(), row.get("ts").s());
    }

    /** A number attribute of a record; 0 when the record or the attribute is absent. */
    static long number(Map<String, AttributeValue> record, String name) {
        AttributeValue value = record == null ? null : record.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
