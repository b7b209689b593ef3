package dev.pulse.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionUrlEventTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T18:00:00Z");

    /** The request behind the documented example event. */
    private static UrlRequest exampleRequest() {
        return new UrlRequest("POST", "/my/path", "parameter1=value1&parameter1=value2&parameter2=value",
                List.of(Map.entry("Header1", "value1"), Map.entry("Header2", "value1"), Map.entry("header2", "value2"),
                        Map.entry("Cookie", "cookie1; cookie2"), Map.entry("User-Agent", "agent"),
                        Map.entry("Content-Type", "text/plain"), Map.entry("Host", "127.0.0.1:8081")),
                "Hello from client!".getBytes(StandardCharsets.UTF_8), "192.0.2.10", "HTTP/1.1");
    }

    private static JsonNode reference() throws IOException {
        try (InputStream in = FunctionUrlEventTest.class.getResourceAsStream("function-url-event-reference.json")) {
            ObjectNode reference = (ObjectNode) MAPPER.readTree(in);
            reference.remove("_comment");
            return reference;
        }
    }

    @Test
    void hasExactlyTheFieldsOfTheDocumentedExampleWithTheSameTypes() throws IOException {
        JsonNode event = FunctionUrlEvent.of(exampleRequest(), "exampleurlid", 8081, "req-1", NOW);
        JsonNode reference = reference();
        List<String> problems = new ArrayList<>();
        compareShape("", reference, event, problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Every field of the reference exists with the same JSON type, and no others (headers are free-form). */
    private static void compareShape(String path, JsonNode expected, JsonNode actual, List<String> problems) {
        if (expected.getNodeType() != actual.getNodeType()) {
            problems.add(path + ": expected " + expected.getNodeType() + ", got " + actual.getNodeType());
            return;
        }
        if (!expected.isObject() || path.equals("/headers")) {
            return;
        }
        TreeSet<String> expectedNames = names(expected);
        TreeSet<String> actualNames = names(actual);
        if (!expectedNames.equals(actualNames)) {
            problems.add(path + ": fields " + actualNames + ", documented " + expectedNames);
        }
        for (String name : expectedNames) {
            if (actual.has(name)) {
                compareShape(path + "/" + name, expected.get(name), actual.get(name), problems);
            }
        }
    }

    private static TreeSet<String> names(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    @Test
    void carriesTheDocumentedValuesFieldByField() throws IOException {
        JsonNode event = FunctionUrlEvent.of(exampleRequest(), "exampleurlid", 8081, "req-1", NOW);
        JsonNode reference = reference();
        for (String field : List.of("version", "routeKey", "rawPath", "rawQueryString", "cookies",
                "queryStringParameters", "body", "isBase64Encoded", "pathParameters", "stageVariables")) {
            assertEquals(reference.get(field), event.get(field), field);
        }
        assertEquals("value1", event.at("/headers/header1").asText());
        assertEquals("value1,value2", event.at("/headers/header2").asText(), "repeated headers are joined with ','");
        JsonNode context = event.get("requestContext");
        JsonNode referenceContext = reference.get("requestContext");
        for (String field : List.of("accountId", "apiId", "domainPrefix", "routeKey", "stage", "time", "timeEpoch",
                "authentication")) {
            assertEquals(referenceContext.get(field), context.get(field), "requestContext." + field);
        }
        assertEquals(referenceContext.get("http"), context.get("http"), "requestContext.http");
        assertEquals("req-1", context.get("requestId").asText());
        assertEquals("127.0.0.1:8081", context.get("domainName").asText(), "the Host the client used");
    }

    @Test
    void headerNamesAreLowerCasedAndTheCookieHeaderBecomesCookies() {
        JsonNode event = FunctionUrlEvent.of(exampleRequest(), "id", 8081, "r", NOW);
        event.get("headers").fieldNames().forEachRemaining(name ->
                assertEquals(name.toLowerCase(java.util.Locale.ROOT), name));
        assertFalse(event.get("headers").has("cookie"));
        assertEquals("192.0.2.10", event.at("/headers/x-forwarded-for").asText());
        assertEquals("http", event.at("/headers/x-forwarded-proto").asText());
        assertTrue(event.at("/headers/x-amzn-trace-id").asText().startsWith("Root=1-"));
    }

    @Test
    void withoutQueryOrBodyThoseFieldsAreAbsent() {
        UrlRequest get = new UrlRequest("GET", "/health", null, List.of(Map.entry("Host", "h")), null, "127.0.0.1", "HTTP/1.1");
        JsonNode event = FunctionUrlEvent.of(get, "id", 1, "r", NOW);
        assertEquals("", event.get("rawQueryString").asText());
        assertFalse(event.has("queryStringParameters"));
        assertFalse(event.has("body"));
        assertFalse(event.has("cookies"));
        assertFalse(event.get("isBase64Encoded").asBoolean());
    }

    @Test
    void binaryBodiesAreBase64AndTextBodiesAreNot() {
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        UrlRequest binary = new UrlRequest("POST", "/x", "", List.of(Map.entry("Content-Type", "application/octet-stream")),
                bytes, "127.0.0.1", "HTTP/1.1");
        JsonNode event = FunctionUrlEvent.of(binary, "id", 1, "r", NOW);
        assertTrue(event.get("isBase64Encoded").asBoolean());
        assertEquals(Base64.getEncoder().encodeToString(bytes), event.get("body").asText());

        UrlRequest json = new UrlRequest("POST", "/x", "", List.of(Map.entry("Content-Type", "application/json; charset=utf-8")),
                "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8), "127.0.0.1", "HTTP/1.1");
        JsonNode jsonEvent = FunctionUrlEvent.of(json, "id", 1, "r", NOW);
        assertFalse(jsonEvent.get("isBase64Encoded").asBoolean());
        assertEquals("{\"a\":\"é\"}", jsonEvent.get("body").asText());
    }

    @Test
    void queryParametersAreDecodedAndRepeatedKeysJoined() {
        JsonNode query = FunctionUrlEvent.of(query("a=1&a=2&b=x%20y&c&bad=%zz"), "id", 1, "r", NOW)
                .path("queryStringParameters");
        assertEquals("1,2", query.path("a").asText());
        assertEquals("x y", query.path("b").asText());
        assertEquals("", query.path("c").asText());
        assertEquals("%zz", query.path("bad").asText(), "malformed escapes are kept as sent");
    }

    private static UrlRequest query(String rawQuery) {
        return new UrlRequest("GET", "/q", rawQuery, List.of(), new byte[0], "127.0.0.1", "HTTP/1.1");
    }
}
