package dev.pulse.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TagsTest {

    @Test
    void tagRule() {
        for (String ok : List.of("A", "AAPL", "BRK.B", "X_Y-Z", "0123456789ABCDEF")) {
            assertTrue(Tags.isValidTag(ok), ok);
        }
        for (String bad : new String[]{null, "", "aapl", "A B", "0123456789ABCDEFG", "A,B", "É"}) {
            assertFalse(Tags.isValidTag(bad), String.valueOf(bad));
        }
    }

    @Test
    void filterParsing() {
        assertEquals(Optional.of(Set.of()), Tags.parseFilter(null));
        assertEquals(Optional.of(Set.of()), Tags.parseFilter(""));
        assertEquals(Optional.of(Set.of("AAPL", "MSFT")), Tags.parseFilter("AAPL,MSFT"));
        assertEquals(Optional.empty(), Tags.parseFilter("AAPL,"));
        assertEquals(Optional.empty(), Tags.parseFilter("aapl"));
        assertEquals(Optional.empty(), Tags.parseFilter(tooMany()), "more than MAX_FILTER_TAGS");
    }

    @Test
    void aBadFilterSaysWhichRuleItBroke() {
        assertEquals(Optional.empty(), Tags.filterProblem("AAPL,MSFT"));
        assertEquals(Optional.empty(), Tags.filterProblem(null));
        assertEquals(Optional.of("'aapl' is not a tag: 1-16 characters of A-Z, 0-9, '.', '_' or '-'; tags are upper case: AAPL"),
                Tags.filterProblem("MSFT,aapl"));
        assertEquals(Optional.of("tag 2 of 2 is empty (two commas, or one at an end)"), Tags.filterProblem("AAPL,"));
        assertTrue(Tags.filterProblem("A/B").orElseThrow().startsWith("'A/B' is not a tag"));
        assertEquals(Optional.of((Tags.MAX_FILTER_TAGS + 1) + " tags; at most " + Tags.MAX_FILTER_TAGS + " per filter"),
                Tags.filterProblem(tooMany()));
    }

    private static String tooMany() {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i <= Tags.MAX_FILTER_TAGS; i++) {
            csv.append(i == 0 ? "" : ",").append("T").append(i);
        }
        return csv.toString();
    }
}
