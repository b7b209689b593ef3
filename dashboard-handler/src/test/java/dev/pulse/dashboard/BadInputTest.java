package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.Metrics;
import dev.pulse.lambda.http.FunctionUrlEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every malformed request the dashboard can get answers the exact 4xx status and error code, never a
 * 500, and stores nothing (checked against the emulator after each case).
 */
class BadInputTest {

    private static final String KEY = "s3cret-key";
    private static final String AUTH = "Bearer " + KEY;
    private static final String VALID = "{\"tag\":\"AAPL\",\"label\":\"positive\",\"score\":0.5,\"text\":\"fine\"}";
    private static final StoreFixture fixture = StoreFixture.shared();
    private DynamoItemStore store;
    private DashboardHandler handler;

    @BeforeEach
    void freshTable() {
        store = fixture.freshStore();
        handler = new DashboardHandler(store, DashboardConfig.fromEnvironment(Map.of("PULSE_API_KEY_SHA256", ApiKey.sha256Hex(KEY))));
    }

    @AfterEach
    void nothingWasStored() {
        assertEquals(Metrics.empty(), store.metrics(), "a rejected request must not count");
        assertTrue(store.newest(1, null, null).items().isEmpty(), "a rejected request must not store");
    }

    private static FunctionUrlEvent write(String body) {
        return FunctionUrlEvent.post("/api/v2/items", body).header("authorization", AUTH);
    }

    private static Arguments bad(String name, Supplier<FunctionUrlEvent> request, int status, String code) {
        return Arguments.of(name, request, status, code);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // the key
                bad("no Authorization", () -> FunctionUrlEvent.post("/api/v2/items", VALID), 401, "unauthorized"),
                bad("wrong key", () -> FunctionUrlEvent.post("/api/v2/items", VALID).header("authorization", "Bearer s3cret-kez"), 401, "unauthorized"),
                bad("key prefix", () -> FunctionUrlEvent.post("/api/v2/items", VALID).header("authorization", "Bearer s3cret"), 401, "unauthorized"),
                bad("empty bearer", () -> FunctionUrlEvent.post("/api/v2/items", VALID).header("authorization", "Bearer "), 401, "unauthorized"),
                bad("basic scheme", () -> FunctionUrlEvent.post("/api/v2/items", VALID).header("authorization", "Basic czNjcmV0LWtleQ=="), 401, "unauthorized"),
                bad("bare key", () -> FunctionUrlEvent.post("/api/v2/items", VALID).header("authorization", KEY), 401, "unauthorized"),
                bad("no key and bad JSON: 401 first", () -> FunctionUrlEvent.post("/api/v2/items", "{"), 401, "unauthorized"),
                // the Idempotency-Key's form
                bad("idempotency key empty", () -> write(VALID).header("idempotency-key", ""), 400, "invalid_idempotency_key"),
                bad("idempotency key 65 chars", () -> write(VALID).header("idempotency-key", "k".repeat(65)), 400, "invalid_idempotency_key"),
                bad("idempotency key with a space", () -> write(VALID).header("idempotency-key", "a b"), 400, "invalid_idempotency_key"),
                bad("idempotency key not ASCII", () -> write(VALID).header("idempotency-key", "cl\u00e9"), 400, "invalid_idempotency_key"),
                // size
                bad("64 KiB + 1 byte", () -> write(padded(VALID, Api.MAX_BODY_BYTES + 1)), 413, "payload_too_large"),
                bad("1 MB", () -> write("x".repeat(1_000_000)), 413, "payload_too_large"),
                bad("64 KiB + 1 decoded base64 bytes", () -> write(null)
                        .base64Body(padded(VALID, Api.MAX_BODY_BYTES + 1).getBytes(StandardCharsets.UTF_8)), 413, "payload_too_large"),
                bad("64 KiB of 2-byte characters", () -> write("\"" + "é".repeat(Api.MAX_BODY_BYTES / 2) + "\""), 413, "payload_too_large"),
                // media type
                bad("text/plain", () -> write(VALID).header("content-type", "text/plain"), 415, "unsupported_media_type"),
                bad("form post", () -> write("tag=AAPL").header("content-type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type"),
                bad("multipart", () -> write(VALID).header("content-type", "multipart/form-data; boundary=x"), 415, "unsupported_media_type"),
                bad("content type ';'", () -> write(VALID).header("content-type", ";"), 415, "unsupported_media_type"),
                bad("latin-1 JSON", () -> write(VALID).header("content-type", "application/json; charset=iso-8859-1"), 415, "unsupported_media_type"),
                // syntax
                bad("truncated JSON", () -> write("{\"tag\":"), 400, "invalid_json"),
                bad("empty body", () -> write(""), 400, "invalid_json"),
                bad("no body", () -> write(null), 400, "invalid_json"),
                bad("blank body", () -> write("  \n "), 400, "invalid_json"),
                bad("not JSON", () -> write("tag=AAPL"), 400, "invalid_json"),
                bad("two documents", () -> write(VALID + VALID), 400, "invalid_json"),
                bad("duplicate key", () -> write("{\"tag\":\"AAPL\",\"tag\":\"MSFT\",\"label\":\"positive\",\"score\":0.5,\"text\":\"t\"}"), 400, "invalid_json"),
                bad("single quotes", () -> write("{'tag':'AAPL'}"), 400, "invalid_json"),
                bad("NaN score", () -> write("{\"tag\":\"AAPL\",\"label\":\"positive\",\"score\":NaN,\"text\":\"t\"}"), 400, "invalid_json"),
                bad("invalid UTF-8", () -> write(null).header("content-type", "application/json")
                        .base64Body(new byte[]{'{', '"', 't', 'a', 'g', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}), 400, "invalid_json"),
                bad("nested 5000 deep", () -> write("[".repeat(5000) + "]".repeat(5000)), 400, "invalid_json"),
                bad("broken base64", () -> write(null).rawBase64Body("not*base64!"), 400, "invalid_body"),
                // fields
                bad("empty object", () -> write("{}"), 422, "validation_failed"),
                bad("empty array", () -> write("[]"), 422, "validation_failed"),
                bad("array with one bad item", () -> write("[" + VALID + "," + VALID.replace("0.5", "1.5") + "]"), 422, "validation_failed"),
                bad("array of strings", () -> write("[\"AAPL\"]"), 422, "validation_failed"),
                bad("array of arrays", () -> write("[[" + VALID + "]]"), 422, "validation_failed"),
                bad("50 items", () -> write("[" + (VALID + ",").repeat(49) + VALID + "]"), 413, "too_many_items"),
                bad("null", () -> write("null"), 422, "validation_failed"),
                bad("string", () -> write("\"AAPL\""), 422, "validation_failed"),
                bad("lone surrogate escape in text", () -> write(VALID.replace("fine", "fi\\ud800ne")), 422, "validation_failed"),
                bad("score as string", () -> write(VALID.replace("0.5", "\"0.5\"")), 422, "validation_failed"),
                bad("score above 1", () -> write(VALID.replace("0.5", "1.5")), 422, "validation_failed"),
                bad("score below 0", () -> write(VALID.replace("0.5", "-0.1")), 422, "validation_failed"),
                bad("score huge", () -> write(VALID.replace("0.5", "1e400")), 422, "validation_failed"),
                bad("score DynamoDB cannot store", () -> write(VALID.replace("0.5", "1e-200")), 422, "validation_failed"),
                bad("unknown label", () -> write(VALID.replace("positive", "great")), 422, "validation_failed"),
                bad("label uppercase", () -> write(VALID.replace("positive", "POSITIVE")), 422, "validation_failed"),
                bad("tag lowercase", () -> write(VALID.replace("AAPL", "aapl")), 422, "validation_failed"),
                bad("tag with slash", () -> write(VALID.replace("AAPL", "A/B")), 422, "validation_failed"),
                bad("tag with space", () -> write(VALID.replace("AAPL", "A B")), 422, "validation_failed"),
                bad("tag 17 chars", () -> write(VALID.replace("AAPL", "A".repeat(17))), 422, "validation_failed"),
                bad("tag empty", () -> write(VALID.replace("AAPL", "")), 422, "validation_failed"),
                bad("tag number", () -> write(VALID.replace("\"AAPL\"", "5")), 422, "validation_failed"),
                bad("text empty", () -> write(VALID.replace("fine", "")), 422, "validation_failed"),
                bad("text 2001 chars", () -> write(VALID.replace("fine", "x".repeat(2001))), 422, "validation_failed"),
                bad("text array", () -> write(VALID.replace("\"fine\"", "[]")), 422, "validation_failed"),
                bad("source 101 chars", () -> write(VALID.replace("}", ",\"source\":\"" + "s".repeat(101) + "\"}")), 422, "validation_failed"),
                bad("source number", () -> write(VALID.replace("}", ",\"source\":5}")), 422, "validation_failed"),
                bad("client sends id", () -> write(VALID.replace("}", ",\"id\":\"0000000000000001\"}")), 422, "validation_failed"),
                bad("client sends ts", () -> write(VALID.replace("}", ",\"ts\":\"2026-01-01T00:00:00Z\"}")), 422, "validation_failed"),
                bad("unknown field", () -> write(VALID.replace("}", ",\"extra\":true}")), 422, "validation_failed"),
                // query
                bad("limit 0", () -> FunctionUrlEvent.get("/api/v2/items?limit=0"), 400, "invalid_query"),
                bad("limit 101", () -> FunctionUrlEvent.get("/api/v2/items?limit=101"), 400, "invalid_query"),
                bad("limit -1", () -> FunctionUrlEvent.get("/api/v2/items?limit=-1"), 400, "invalid_query"),
                bad("limit abc", () -> FunctionUrlEvent.get("/api/v2/items?limit=abc"), 400, "invalid_query"),
                bad("limit 1.5", () -> FunctionUrlEvent.get("/api/v2/items?limit=1.5"), 400, "invalid_query"),
                bad("limit empty", () -> FunctionUrlEvent.get("/api/v2/items?limit="), 400, "invalid_query"),
                bad("limit overflow", () -> FunctionUrlEvent.get("/api/v2/items?limit=99999999999999999999"), 400, "invalid_query"),
                bad("limit twice", () -> FunctionUrlEvent.get("/api/v2/items?limit=1&limit=2"), 400, "invalid_query"),
                bad("limit broken escape", () -> FunctionUrlEvent.get("/api/v2/items?limit=%zz"), 400, "invalid_query"),
                bad("tag lowercase", () -> FunctionUrlEvent.get("/api/v2/items?tag=aapl"), 400, "invalid_query"),
                bad("tag empty", () -> FunctionUrlEvent.get("/api/v2/items?tag="), 400, "invalid_query"),
                bad("tag encoded slash", () -> FunctionUrlEvent.get("/api/v2/items?tag=A%2FB"), 400, "invalid_query"),
                bad("tag list", () -> FunctionUrlEvent.get("/api/v2/items?tag=AAPL,MSFT"), 400, "invalid_query"),
                bad("after garbage", () -> FunctionUrlEvent.get("/api/v2/items?after=abc"), 400, "invalid_query"),
                bad("after empty", () -> FunctionUrlEvent.get("/api/v2/items?after="), 400, "invalid_query"),
                bad("after with a letter", () -> FunctionUrlEvent.get("/api/v2/items?after=00000000000000A1"), 400, "invalid_query"),
                bad("after injection", () -> FunctionUrlEvent.get("/api/v2/items?after=0000000000000001%27%20OR%201%3D1"), 400, "invalid_query"),
                // method and path
                bad("PUT items", () -> FunctionUrlEvent.request("PUT", "/api/v2/items").body(VALID), 405, "method_not_allowed"),
                bad("DELETE items", () -> FunctionUrlEvent.request("DELETE", "/api/v2/items"), 405, "method_not_allowed"),
                bad("PATCH metrics", () -> FunctionUrlEvent.request("PATCH", "/api/v2/metrics"), 405, "method_not_allowed"),
                bad("POST health", () -> FunctionUrlEvent.post("/health", "{}"), 405, "method_not_allowed"),
                bad("POST runtime", () -> FunctionUrlEvent.post("/api/v2/runtime", "{}"), 405, "method_not_allowed"),
                bad("unknown path", () -> FunctionUrlEvent.get("/api/v3/items"), 404, "not_found"),
                bad("unknown root file", () -> FunctionUrlEvent.get("/index.php"), 404, "not_found"),
                bad("POST to a typo path", () -> FunctionUrlEvent.post("/api/v2/item", VALID).header("authorization", AUTH), 404, "not_found"));
    }

    /** {@code json} followed by spaces up to {@code bytes} bytes: still one valid document. */
    private static String padded(String json, int bytes) {
        return json + " ".repeat(bytes - json.getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest(name = "{0} → {2} {3}")
    @MethodSource("badRequests")
    void answersTheExactStatusAndCode(String name, Supplier<FunctionUrlEvent> request, int status, String code) {
        Reply reply = Reply.call(handler, request.get());
        JsonNode body = reply.assertError(status, code);
        switch (status) {
            case 401 -> assertTrue(reply.header("WWW-Authenticate").startsWith("Bearer"), "401 names the scheme");
            case 405 -> assertTrue(reply.header("Allow").contains("GET"), "405 lists what is allowed");
            case 422 -> assertTrue(body.path("fields").isObject() && !body.path("fields").isEmpty(), () -> "422 names fields: " + body);
            case 400 -> {
                if (code.equals("invalid_query") && !name.contains("escape")) {
                    assertTrue(name.startsWith(body.path("parameter").asText()), () -> "names the parameter: " + body);
                }
            }
            default -> { }
        }
    }

    @Test
    void fieldErrorsNameEveryBrokenField() {
        JsonNode empty = Reply.call(handler, write("{}")).assertError(422, "validation_failed");
        assertEquals(Map.of("tag", "is required", "label", "is required", "score", "is required", "text", "is required"),
                fieldsOf(empty));
        JsonNode several = Reply.call(handler, write(
                "{\"tag\":\"aapl\",\"label\":\"great\",\"score\":2,\"text\":\"\",\"id\":\"x\"}"))
                .assertError(422, "validation_failed");
        assertEquals(java.util.Set.of("tag", "label", "score", "text", "id"), fieldsOf(several).keySet());
    }

    private static Map<String, String> fieldsOf(JsonNode body) {
        Map<String, String> fields = new java.util.TreeMap<>();
        body.path("fields").properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        return fields;
    }

    @Test
    void aWrongKeyIsTold401InvalidToken() {
        Reply missing = Reply.call(handler, FunctionUrlEvent.post("/api/v2/items", VALID));
        assertEquals("Bearer realm=\"pulse\"", missing.header("WWW-Authenticate"));
        Reply wrong = Reply.call(handler, FunctionUrlEvent.post("/api/v2/items", VALID).header("authorization", "Bearer nope"));
        assertEquals("Bearer realm=\"pulse\", error=\"invalid_token\"", wrong.header("WWW-Authenticate"));
        assertTrue(wrong.json().path("message").asText().contains("wrong"));
        assertTrue(!wrong.body().contains(KEY), "never echo the key");
    }
}
