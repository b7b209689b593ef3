package dev.pulse.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemValidatorTest {

    private static JsonNode json(String text) throws Exception {
        return Json.parse(text);
    }

    @Test
    void acceptsAWellFormedItem() throws Exception {
        Validation v = ItemValidator.validate(json(
                "{\"tag\":\"AAPL\",\"label\":\"positive\",\"score\":0.9,\"text\":\"beats estimates\",\"source\":\"wire\"}"));
        assertTrue(v.ok(), v.fieldErrors().toString());
        assertEquals(new NewItem("AAPL", "positive", 0.9, "beats estimates", "wire"), v.item());
    }

    @Test
    void aBatchIsItsItemsInOrder_orEveryBrokenFieldByIndex() throws Exception {
        BatchValidation good = ItemValidator.validateBatch(json("[{\"tag\":\"A\",\"label\":\"neutral\",\"score\":0,"
                + "\"text\":\"first\"},{\"tag\":\"B\",\"label\":\"positive\",\"score\":1,\"text\":\"second\"}]"));
        assertTrue(good.ok(), good.fieldErrors().toString());
        assertEquals(java.util.List.of(new NewItem("A", "neutral", 0, "first", null),
                new NewItem("B", "positive", 1, "second", null)), good.items());

        BatchValidation bad = ItemValidator.validateBatch(json("[{\"tag\":\"A\",\"label\":\"neutral\",\"score\":0,"
                + "\"text\":\"fine\"},{\"tag\":\"b\",\"label\":\"neutral\",\"score\":2,\"text\":\"t\"},7]"));
        assertFalse(bad.ok());
        assertEquals(java.util.List.of("[1].tag", "[1].score", "[2]"), java.util.List.copyOf(bad.fieldErrors().keySet()),
                "in the items' order");
        assertEquals("must be a JSON object", bad.fieldErrors().get("[2]"));
        assertEquals(java.util.List.of(), bad.items(), "no items from a batch with a broken one");
    }

    @Test
    void sourceIsOptionalAndBlankMeansAbsent() throws Exception {
        assertNull(ItemValidator.validate(json("{\"tag\":\"X\",\"label\":\"neutral\",\"score\":0,\"text\":\"t\"}")).item().source());
        assertNull(ItemValidator.validate(json("{\"tag\":\"X\",\"label\":\"neutral\",\"score\":1,\"text\":\"t\",\"source\":\"\"}")).item().source());
    }

    @Test
    void namesEveryMissingField() throws Exception {
        Validation v = ItemValidator.validate(json("{}"));
        assertFalse(v.ok());
        assertEquals("is required", v.fieldErrors().get("tag"));
        assertEquals("is required", v.fieldErrors().get("label"));
        assertEquals("is required", v.fieldErrors().get("score"));
        assertEquals("is required", v.fieldErrors().get("text"));
        assertEquals(4, v.fieldErrors().size());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"tag\":\"aapl\",\"label\":\"positive\",\"score\":0.5,\"text\":\"t\"}|tag",
            "{\"tag\":\"TOO_LONG_TAG_12345\",\"label\":\"positive\",\"score\":0.5,\"text\":\"t\"}|tag",
            "{\"tag\":\"A B\",\"label\":\"positive\",\"score\":0.5,\"text\":\"t\"}|tag",
            "{\"tag\":\"\",\"label\":\"positive\",\"score\":0.5,\"text\":\"t\"}|tag",
            "{\"tag\":7,\"label\":\"positive\",\"score\":0.5,\"text\":\"t\"}|tag",
            "{\"tag\":\"A\",\"label\":\"happy\",\"score\":0.5,\"text\":\"t\"}|label",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":1.01,\"text\":\"t\"}|score",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":-0.1,\"text\":\"t\"}|score",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":1e-200,\"text\":\"t\"}|score",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":9.99e-131,\"text\":\"t\"}|score",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":4.9e-324,\"text\":\"t\"}|score",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":\"0.5\",\"text\":\"t\"}|score",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":0.5,\"text\":\"\"}|text",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":0.5,\"text\":[\"t\"]}|text",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":0.5,\"text\":\"t\",\"source\":5}|source",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":0.5,\"text\":\"t\",\"id\":\"1\"}|id",
            "{\"tag\":\"A\",\"label\":\"positive\",\"score\":0.5,\"text\":\"t\",\"colour\":\"red\"}|colour",
    })
    void rejectsABrokenField(String body, String field) throws Exception {
        Validation v = ItemValidator.validate(json(body));
        assertFalse(v.ok());
        assertEquals(java.util.Set.of(field), v.fieldErrors().keySet(), v.fieldErrors().toString());
    }

    @ParameterizedTest(name = "score {0}")
    @CsvSource({"0", "0.0", "1e-130", "1.5e-130", "0.000001", "1", "1.0", "0.12345678901234567890123456789012345678901"})
    void acceptsEveryScoreDynamoDbCanStore(String score) throws Exception {
        Validation v = ItemValidator.validate(json("{\"tag\":\"A\",\"label\":\"neutral\",\"score\":" + score + ",\"text\":\"t\"}"));
        assertTrue(v.ok(), v.fieldErrors().toString());
    }

    @Test
    void namesDynamoDbsRangeForATinyScore() throws Exception {
        Validation v = ItemValidator.validate(json("{\"tag\":\"A\",\"label\":\"neutral\",\"score\":1e-200,\"text\":\"t\"}"));
        assertEquals("must be 0 or at least 1e-130 (the smallest number DynamoDB stores)", v.fieldErrors().get("score"));
    }

    @Test
    void limitsTextAndSourceLengthInCharactersNotBytes() throws Exception {
        String text2000 = "é".repeat(ItemValidator.MAX_TEXT);
        assertTrue(ItemValidator.validate(json("{\"tag\":\"A\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"" + text2000 + "\"}")).ok());
        Validation tooLong = ItemValidator.validate(json("{\"tag\":\"A\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"" + text2000 + "x\",\"source\":\"" + "s".repeat(101) + "\"}"));
        assertEquals(java.util.Set.of("text", "source"), tooLong.fieldErrors().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "lone high surrogate in text|{\"tag\":\"A\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"a\\ud800b\"}|text",
            "lone low surrogate in text|{\"tag\":\"A\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"\\udc00\"}|text",
            "high surrogate at the end of source|{\"tag\":\"A\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"t\",\"source\":\"s\\ud83d\"}|source",
    })
    void rejectsTextThatIsNotValidUnicode(String name, String body, String field) throws Exception {
        Validation v = ItemValidator.validate(json(body));
        assertEquals(java.util.Set.of(field), v.fieldErrors().keySet(), v.fieldErrors().toString());
    }

    @Test
    void acceptsSurrogatePairs() throws Exception {
        Validation v = ItemValidator.validate(json(
                "{\"tag\":\"A\",\"label\":\"positive\",\"score\":0.5,\"text\":\"rocket \\ud83d\\ude80 \ud83d\ude80\"}"));
        assertTrue(v.ok(), v.fieldErrors().toString());
        assertEquals("rocket \ud83d\ude80 \ud83d\ude80", v.item().text());
    }

    @Test
    void aNonObjectBodyIsOneError() throws Exception {
        assertEquals(java.util.Map.of("body", "must be a JSON object"), ItemValidator.validate(json("[1,2]")).fieldErrors());
    }
}
