package dev.pulse.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemIdTest {

    @Test
    void anIdIsTheSequenceNumberZeroPadded() {
        assertEquals("0000000000000042", ItemId.of(42));
        assertEquals(42, ItemId.sequenceOf("0000000000000042"));
        assertEquals("0000000000000000", ItemId.ZERO);
        assertTrue(ItemId.isValid(ItemId.of(Long.parseLong("9999999999999999"))));
    }

    @Test
    void stringOrderIsNumberOrder() {
        long[] numbers = {0, 1, 9, 10, 99, 100, 12_345, 9_999_999_999L, 10_000_000_000L};
        for (int i = 1; i < numbers.length; i++) {
            assertTrue(ItemId.of(numbers[i - 1]).compareTo(ItemId.of(numbers[i])) < 0, numbers[i] + "");
        }
    }

    @Test
    void onlyExactlySixteenDigitsAreIds() {
        for (String bad : new String[]{null, "", "abc", "000000000000001", "00000000000000001", "000000000000000a",
                " 0000000000000001", "0000000000000001 ", "-000000000000001", "1764000000000-000001"}) {
            assertFalse(ItemId.isValid(bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> ItemId.sequenceOf("1764000000000-000001"));
        assertThrows(IllegalArgumentException.class, () -> ItemId.of(-1));
    }
}
