package dev.pulse.e2e.diagnose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filter patterns diagnose sends to CloudWatch Logs, applied here the way CloudWatch applies them. */
class FilterPatternTest {

    private static final String LINE = "{\"level\":\"WARN\",\"status\":421,\"duration_ms\":0.8,\"path\":\"/api/v2/stream\","
            + "\"record\":{\"status\":\"timeout\"},\"DeliveryLag\":[1,2]}";

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "{ $.level = \"WARN\" } => true",
            "{ $.level = \"ERROR\" } => false",
            "{ $.level != \"ERROR\" } => true",
            "{ $.status = 421 } => true",
            "{ $.status = 421.0 } => true",
            "{ $.status >= 400 && $.status < 500 } => true",
            "{ $.status > 421 } => false",
            "{ $.duration_ms <= 1 } => true",
            "{ $.path = \"/api/v2/*\" } => true",
            "{ $.path = \"/api/v2\" } => false",
            "{ $.record.status = \"timeout\" } => true",
            "{ $.level = \"ERROR\" || $.status = 421 } => true",
            "{ $.level = \"ERROR\" || $.status = 200 && $.level = \"WARN\" } => false",
            "{ ($.level = \"ERROR\" || $.status = 421) && $.level = \"WARN\" } => true",
            "{ $.missing = \"x\" } => false",
            "{ $.missing != \"x\" } => false",
            "{ $.status = \"421\" } => false",
            "{ $.level > 3 } => false"})
    void matchesAsCloudWatchDoes(String pattern, boolean expected) {
        assertEquals(expected, FilterPattern.parse(pattern).matches(LINE), pattern);
    }

    @Test
    void onlyAJsonObjectCanMatch_notAWordInText() {
        FilterPattern errors = LogSummaries.ERRORS;
        assertFalse(errors.matches("ERROR in plain text"));
        assertFalse(errors.matches("[\"ERROR\"]"));
        assertFalse(errors.matches("{\"level\":\"INFO\",\"message\":\"ERROR Exception\"}"), "the word is not the level");
        assertTrue(errors.matches("{\"level\":\"ERROR\",\"message\":\"x\"}"));
        assertTrue(errors.matches("{\"time\":\"t\",\"type\":\"platform.report\",\"record\":{\"status\":\"timeout\"}}"));
        assertFalse(errors.matches("{\"time\":\"t\",\"type\":\"platform.report\",\"record\":{\"status\":\"success\"}}"));
        assertFalse(errors.matches("{\"time\":\"t\",\"type\":\"platform.runtimeDone\",\"record\":{\"status\":\"timeout\"}}"),
                "one line per failed invocation: its report");
        assertEquals("{ $.status = 421 }", LogSummaries.MISDIRECTED.text(), "the text FilterLogEvents gets");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$.level = \"ERROR\"", "{ level = \"ERROR\" }", "{ $.level = }", "{ $.level ~ 3 }",
            "{ $.level = \"a\" } extra", "{ ($.level = \"a\" }", "{ $.level < \"a\" }"})
    void whatItCannotReadIsRefused(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse(pattern));
    }
}
