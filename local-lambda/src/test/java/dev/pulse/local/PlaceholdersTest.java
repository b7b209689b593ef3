package dev.pulse.local;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlaceholdersTest {

    private static final Map<String, String> KEYS = Map.of("pulse-local-sse", "sse", "pulse-local-dashboard", "dashboard");

    @Test
    void markersAndTheTableBecomePlaceholdersOtherValuesStay() {
        Set<String> tables = Set.of("pulse-local-items");
        assertEquals("${api_key_sha256}", Placeholders.fromPlanned(Placeholders.DIGEST_MARKER, KEYS, tables));
        assertEquals("${cors_allowed_origins}", Placeholders.fromPlanned(Placeholders.CORS_MARKER, KEYS, tables));
        assertEquals("${table_name}", Placeholders.fromPlanned("pulse-local-items", KEYS, tables));
        assertEquals("${function_url:sse}",
                Placeholders.fromPlanned("https://pulse-local-sse.function-url.invalid/", KEYS, tables));
        assertEquals("30", Placeholders.fromPlanned("30", KEYS, tables));
        assertThrows(IllegalArgumentException.class,
                () -> Placeholders.fromPlanned("https://other.function-url.invalid/", KEYS, tables));
        assertThrows(IllegalArgumentException.class, () -> Placeholders.fromPlanned("${looks_like_one}", KEYS, tables));
    }

    @Test
    void fillingNeedsAValueForEveryPlaceholder() {
        Map<String, String> local = Map.of("${function_url:sse}", "http://127.0.0.1:8081/", "${table_name}", "pulse-local");
        assertEquals("http://127.0.0.1:8081/", Placeholders.fill("${function_url:sse}", local));
        assertEquals("50", Placeholders.fill("50", local));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Placeholders.fill("${function_url:worker}", local));
        assertTrue(e.getMessage().contains("no local function worker"), e.getMessage());
    }

    @Test
    void theModuleOverrideSpellsTheMarkerTheReaderRecognises() {
        assertEquals("https://${var.function_name}.function-url.invalid/", Placeholders.urlMarkerExpression("var.function_name"));
    }
}
