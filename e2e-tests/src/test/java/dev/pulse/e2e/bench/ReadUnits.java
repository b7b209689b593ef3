package dev.pulse.e2e.bench;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * DynamoDB's read-unit arithmetic, as its developer guide states it: a strongly consistent read of up to
 * 4 KB is one read request unit (RRU); a GetItem is rounded up per item, a Query over the summed size of
 * what it returns, and either costs at least one unit (even when it finds nothing). Item size = attribute
 * names' UTF-8 bytes + values' sizes (strings: UTF-8 bytes; numbers: about one byte per two significant
 * digits, plus one).
 */
final class ReadUnits {
    static final int UNIT_BYTES = 4096;

    private ReadUnits() {
    }

    static long itemBytes(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            bytes += utf8(e.getKey()) + valueBytes(e.getValue());
        }
        return bytes;
    }

    static long itemsBytes(Collection<Map<String, AttributeValue>> items) {
        return items.stream().mapToLong(ReadUnits::itemBytes).sum();
    }

    /** Strongly consistent units for a read of {@code bytes}. */
    static long units(long bytes) {
        return Math.max(1, (bytes + UNIT_BYTES - 1) / UNIT_BYTES);
    }

    private static long valueBytes(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            String digits = new BigDecimal(v.n()).unscaledValue().abs().toString().replaceAll("^0+|0+$", "");
            return 1 + (Math.max(1, digits.length()) + 1) / 2;
        }
        throw new IllegalArgumentException("only S and N attributes are sized here, got " + v);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
