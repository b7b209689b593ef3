package dev.pulse.lambda.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The payload-2.0 event, against AWS's documented example and each rule of its Function URL. */
class FunctionUrlEventTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T18:00:00Z");

    /** The request behind the documented example event, as its headers arrive on the wire. */
    private static FunctionUrlEvent example() {
        return FunctionUrlEvent.bare("POST", "/my/path?parameter1=value1&parameter1=value2&parameter2=value")
                .addHeader("Header1", "value1").addHeader("Header2", "value1").addHeader("header2", "value2")
                .addHeader("Cookie", "cookie1; cookie2").addHeader("User-Agent", "agent")
                .addHeader("Content-Type", "text/plain")
                .body("Hello from client!".getBytes(StandardCharsets.UTF_8))
                .apiId("exampleurlid").sourceIp("192.0.2.10").protocol("HTTP/1.1").requestId("req-1").time(NOW);
    }

    private static JsonNode tree(FunctionUrlEvent event) {
        try {
            return MAPPER.readTree(event.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        List<String> problems = new ArrayList<>();
        compareShape("", reference(), tree(example()), problems);
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
        JsonNode event = tree(example());
        JsonNode reference = reference();
        for (String field : List.of("version", "routeKey", "rawPath", "rawQueryString", "cookies",
                "queryStringParameters", "body", "isBase64Encoded", "pathParameters", "stageVariables")) {
            assertEquals(reference.get(field), event.get(field), field);
        }
        assertEquals("value1", event.at("/headers/header1").asText());
        JsonNode context = event.get("requestContext");
        JsonNode referenceContext = reference.get("requestContext");
        for (String field : List.of("accountId", "apiId", "domainName", "domainPrefix", "routeKey", "stage", "time",
                "timeEpoch", "authentication", "http")) {
            assertEquals(referenceContext.get(field), context.get(field), "requestContext." + field);
        }
        assertEquals("req-1", context.get("requestId").asText());
    }

    @Test
    void theFunctionUrlsFixedValues() {
        JsonNode event = tree(FunctionUrlEvent.bare("GET", "/"));
        assertEquals("2.0", event.path("version").asText());
        assertEquals("$default", event.path("routeKey").asText());
        assertEquals("$default", event.at("/requestContext/routeKey").asText());
        assertEquals("$default", event.at("/requestContext/stage").asText());
        assertEquals("anonymous", event.at("/requestContext/accountId").asText());
        assertTrue(event.at("/requestContext/authentication").isNull(), "no mutual TLS");
        assertTrue(event.path("pathParameters").isNull());
        assertTrue(event.path("stageVariables").isNull());
    }

    @Test
    void headerNamesAreLowerCasedRepeatedOnesJoinedAndTheCookieHeaderBecomesCookies() {
        JsonNode event = tree(example());
        event.get("headers").fieldNames().forEachRemaining(name -> assertEquals(name.toLowerCase(Locale.ROOT), name));
        assertEquals("value1,value2", event.at("/headers/header2").asText(), "repeated headers are joined with ','");
        assertFalse(event.get("headers").has("cookie"));
        assertEquals(MAPPER.createArrayNode().add("cookie1").add("cookie2"), event.get("cookies"), "split on ';'");
    }

    @Test
    void headerReplacesAddHeaderJoinsAndWithoutHeaderRemoves() {
        FunctionUrlEvent event = FunctionUrlEvent.bare("GET", "/").header("Accept", "a").header("accept", "b")
                .addHeader("X-Two", "1").addHeader("x-two", "2").header("X-Gone", "x").withoutHeader("x-gone");
        assertEquals("b", event.header("ACCEPT"));
        assertEquals("1,2", event.header("x-two"));
        JsonNode headers = tree(event).get("headers");
        assertEquals(List.of("accept", "x-two"), fieldNames(headers));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void withoutQueryOrBodyThoseFieldsAreAbsent() {
        JsonNode event = tree(FunctionUrlEvent.bare("GET", "/health").body(new byte[0]));
        assertEquals("", event.get("rawQueryString").asText());
        assertFalse(event.has("queryStringParameters"));
        assertFalse(event.has("body"));
        assertFalse(event.has("cookies"));
        assertFalse(event.get("isBase64Encoded").asBoolean());
    }

    @Test
    void bodiesAreBase64UnlessTheirContentTypeIsText() {
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        JsonNode binary = tree(FunctionUrlEvent.bare("POST", "/x").header("Content-Type", "application/octet-stream")
                .body(bytes));
        assertTrue(binary.get("isBase64Encoded").asBoolean());
        assertEquals(Base64.getEncoder().encodeToString(bytes), binary.get("body").asText());
        assertTrue(tree(FunctionUrlEvent.bare("POST", "/x").body(bytes)).get("isBase64Encoded").asBoolean(),
                "no content type: base64");

        for (String text : List.of("application/json; charset=utf-8", "text/plain", "application/problem+json",
                "application/x-www-form-urlencoded", "application/xml", "image/svg+xml")) {
            JsonNode event = tree(FunctionUrlEvent.bare("POST", "/x").header("Content-Type", text)
                    .body("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8)));
            assertFalse(event.get("isBase64Encoded").asBoolean(), text);
            assertEquals("{\"a\":\"é\"}", event.get("body").asText(), text);
        }
        JsonNode broken = tree(FunctionUrlEvent.bare("POST", "/x").rawBase64Body("not*base64!"));
        assertEquals("not*base64!", broken.get("body").asText());
        assertTrue(broken.get("isBase64Encoded").asBoolean());
    }

    @Test
    void queryParametersAreDecodedAndRepeatedKeysJoined() {
        JsonNode event = tree(FunctionUrlEvent.bare("GET", "/q?a=1&a=2&b=x%20y&c&bad=%zz"));
        assertEquals("a=1&a=2&b=x%20y&c&bad=%zz", event.get("rawQueryString").asText(), "the raw query as sent");
        JsonNode query = event.path("queryStringParameters");
        assertEquals("1,2", query.path("a").asText());
        assertEquals("x y", query.path("b").asText());
        assertEquals("", query.path("c").asText());
        assertEquals("%zz", query.path("bad").asText(), "malformed escapes are kept as sent");
        assertEquals("/q", event.get("rawPath").asText());
    }

    @Test
    void aRequestLooksLikeOneThroughADeployedUrl() {
        JsonNode event = tree(FunctionUrlEvent.post("/api/items", "{\"a\":1}"));
        assertEquals("https", event.at("/headers/x-forwarded-proto").asText());
        assertTrue(event.at("/headers/host").asText().endsWith(".lambda-url.us-east-1.on.aws"));
        assertEquals(event.at("/headers/host"), event.at("/requestContext/domainName"));
        assertEquals("application/json", event.at("/headers/content-type").asText());
        assertEquals("{\"a\":1}", event.get("body").asText());
        assertEquals("POST", event.at("/requestContext/http/method").asText());
        assertEquals(event.at("/headers/user-agent"), event.at("/requestContext/http/userAgent"));
    }

    @Test
    void eachEventWithoutARequestIdGetsItsOwnAndTheBytesAreTheJsonInUtf8() {
        FunctionUrlEvent event = FunctionUrlEvent.get("/").header("x-name", "é");
        assertNotEquals(tree(event).at("/requestContext/requestId"), tree(event).at("/requestContext/requestId"));
        FunctionUrlEvent fixed = event.requestId("r").time(NOW);
        assertArrayEquals(fixed.toJson().getBytes(StandardCharsets.UTF_8), fixed.toBytes());
    }
}
