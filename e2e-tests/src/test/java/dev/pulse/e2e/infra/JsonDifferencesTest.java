package dev.pulse.e2e.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The drift test's report: one line per difference, each named by where it is. */
class JsonDifferencesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void namesEachDifferenceByItsPath() throws Exception {
        var committed = MAPPER.readTree("""
                {"functions": {"sse": {"memory_mb": 512, "url": {"invoke_mode": "RESPONSE_STREAM"},
                 "environment": {"A": "1", "B": "2"}, "list": ["x", "y"]}}}""");
        var planned = MAPPER.readTree("""
                {"functions": {"sse": {"memory_mb": 256, "url": {"invoke_mode": "BUFFERED"},
                 "environment": {"A": "1", "C": "3"}, "list": ["x", "z"]}}}""");
        assertEquals(List.of(
                "functions.sse.environment.B: only in the committed description (\"2\")",
                "functions.sse.environment.C: only in the plan (\"3\")",
                "functions.sse.list[1]: committed \"y\", planned \"z\"",
                "functions.sse.memory_mb: committed 512, planned 256",
                "functions.sse.url.invoke_mode: committed \"RESPONSE_STREAM\", planned \"BUFFERED\""),
                JsonDifferences.between(committed, planned));
    }

    @Test
    void equalDocumentsHaveNone() throws Exception {
        var doc = MAPPER.readTree("{\"a\": [1, {\"b\": null}]}");
        assertEquals(List.of(), JsonDifferences.between(doc, doc.deepCopy()));
    }

    @Test
    void listsOfAnotherLengthAreOneDifference() throws Exception {
        assertEquals(List.of("h: committed [\"a\"], planned [\"a\",\"b\"]"),
                JsonDifferences.between(MAPPER.readTree("{\"h\": [\"a\"]}"), MAPPER.readTree("{\"h\": [\"a\", \"b\"]}")));
    }
}
