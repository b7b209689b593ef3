package dev.pulse.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Deadline;
import dev.pulse.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one request both functions read, and the one query-string parser both use. */
class HttpRequestTest {

    private static final Deadline SOON = Deadline.in(Duration.ofSeconds(5));

    @Test
    void theQueryIsDecoded_andARepeatedParameterOrABrokenEscapeIsA400NamingIt() {
        QueryString query = QueryString.parse("tag=BTC%2DUSD&limit=5&flag&&x=a+b");
        assertEquals("BTC-USD", query.get("tag"));
        assertEquals("5", query.get("limit"));
        assertEquals("", query.get("flag"));
        assertEquals("a b", query.get("x"));
        assertNull(query.get("after"));
        assertEquals(Map.of("tag", "BTC-USD", "limit", "5", "flag", "", "x", "a b"), query.values());

        ClientError repeated = assertThrows(ClientError.class, () -> QueryString.parse("tags=A&tags=B"));
        assertEquals(400, repeated.response().status());
        assertEquals("invalid_query", repeated.response().errorCode());
        assertTrue(repeated.response().bodyText().contains("\"parameter\":\"tags\""), repeated.response().bodyText());
        ClientError broken = assertThrows(ClientError.class, () -> QueryString.parse("a=%4"));
        assertEquals("invalid_query", broken.response().errorCode());
        assertTrue(broken.response().bodyText().contains("broken percent escape"), broken.response().bodyText());
        assertTrue(broken.response().bodyText().contains("\"parameter\":\"a\""), broken.response().bodyText());
        assertEquals(Map.of(), QueryString.parse(null).values());
    }

    @Test
    void aFunctionUrlEvent_becomesTheRequest() throws Exception {
        JsonNode event = Json.parse("""
                {"version":"2.0","rawPath":"//api//v2/items/","rawQueryString":"tag=A%2DB&limit=2",
                 "headers":{"content-type":"application/json","x-api-key":"k"},
                 "requestContext":{"http":{"method":"post","path":"/api/v2/items"}},
                 "body":"eyJhIjoxfQ==","isBase64Encoded":true}""");
        HttpRequest request = HttpRequest.fromEvent(event, SOON);
        assertEquals("POST", request.method());
        assertEquals("/api/v2/items", request.path());
        assertEquals("A-B", request.query().get("tag"));
        assertEquals("k", request.header("X-Api-Key"), "headers are looked up case-insensitively");
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), request.bodyBytes());
        assertEquals(SOON, request.deadline());
        assertFalse(request.isHead());
    }

    @Test
    void anEventWithOnlyDecodedParameters_keepsThem_andOneWithoutAMethodIsNotAFunctionUrlEvent() throws Exception {
        HttpRequest request = HttpRequest.fromEvent(Json.parse("""
                {"rawPath":"/api/v2/stream","queryStringParameters":{"tags":"A,B","lastEventId":"0000000000000007"},
                 "requestContext":{"http":{"method":"GET"}}}"""), SOON);
        assertEquals("A,B", request.query().get("tags"));
        assertEquals("0000000000000007", request.query().get("lastEventId"));
        assertArrayEquals(new byte[0], request.bodyBytes());

        IllegalArgumentException notAnEvent = assertThrows(IllegalArgumentException.class,
                () -> HttpRequest.fromEvent(Json.parse("{\"rawPath\":\"/\"}"), SOON));
        assertTrue(notAnEvent.getMessage().contains("requestContext.http.method"), notAnEvent.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.fromEvent(Json.parse("[1]"), SOON));
    }

    @Test
    void aBodyMarkedBase64ThatIsNot_isA400() {
        HttpRequest request = new HttpRequest("POST", "/api/v2/items", "", Map.of(), "not base64!", true, SOON);
        ClientError error = assertThrows(ClientError.class, request::bodyBytes);
        assertEquals("invalid_body", error.response().errorCode());
    }
}
