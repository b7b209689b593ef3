package dev.pulse.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event of a request to an emulated URL: the request as the client sent it (the payload-2.0 rules themselves are
 * {@code lambda-runtime}'s {@code FunctionUrlEventTest}), plus what Lambda's front end adds.
 */
class InvocationEventsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T18:00:00Z");

    private static JsonNode event(UrlRequest request, int port) {
        try {
            return MAPPER.readTree(InvocationEvents.of(request, "exampleurlid", port, "req-1", NOW));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UrlRequest post(List<Map.Entry<String, String>> headers) {
        return new UrlRequest("POST", "/my/path", "a=1&a=2", headers, "Hello from client!".getBytes(StandardCharsets.UTF_8),
                "192.0.2.10", "HTTP/1.0");
    }

    @Test
    void theRequestAsTheClientSentIt() {
        JsonNode event = event(post(List.of(Map.entry("Header2", "value1"), Map.entry("header2", "value2"),
                Map.entry("Cookie", "cookie1; cookie2"), Map.entry("User-Agent", "agent"),
                Map.entry("Content-Type", "text/plain"), Map.entry("Host", "localhost:8081"))), 8081);
        assertEquals("/my/path", event.get("rawPath").asText());
        assertEquals("a=1&a=2", event.get("rawQueryString").asText());
        assertEquals("1,2", event.at("/queryStringParameters/a").asText());
        assertEquals("value1,value2", event.at("/headers/header2").asText());
        assertEquals(2, event.get("cookies").size());
        assertEquals("Hello from client!", event.get("body").asText());
        JsonNode context = event.get("requestContext");
        assertEquals("localhost:8081", context.get("domainName").asText(), "the Host the client used");
        assertEquals("exampleurlid", context.get("apiId").asText());
        assertEquals("req-1", context.get("requestId").asText());
        assertEquals(NOW.toEpochMilli(), context.get("timeEpoch").asLong());
        assertEquals("POST", context.at("/http/method").asText());
        assertEquals("HTTP/1.0", context.at("/http/protocol").asText());
        assertEquals("192.0.2.10", context.at("/http/sourceIp").asText());
        assertEquals("agent", context.at("/http/userAgent").asText());
    }

    @Test
    void theFrontEndAddsTheForwardedHeadersAndATraceId() {
        JsonNode event = event(post(List.of(Map.entry("Host", "127.0.0.1:8081"), Map.entry("X-Forwarded-For", "6.6.6.6"))),
                8081);
        assertEquals("192.0.2.10", event.at("/headers/x-forwarded-for").asText(), "what the client claims is replaced");
        assertEquals("http", event.at("/headers/x-forwarded-proto").asText());
        assertEquals("8081", event.at("/headers/x-forwarded-port").asText());
        assertTrue(event.at("/headers/x-amzn-trace-id").asText().matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24}"),
                event.at("/headers/x-amzn-trace-id").asText());
    }

    @Test
    void aClientsTraceIdIsKeptAndAMissingHostIsTheUrlsAddress() {
        JsonNode event = event(post(List.of(Map.entry("X-Amzn-Trace-Id", "Root=1-00000000-000000000000000000000001"))), 9000);
        assertEquals("Root=1-00000000-000000000000000000000001", event.at("/headers/x-amzn-trace-id").asText());
        assertEquals("127.0.0.1:9000", event.at("/headers/host").asText());
        assertEquals("127.0.0.1:9000", event.at("/requestContext/domainName").asText());
    }

    @Test
    void withoutQueryOrBodyThoseFieldsAreAbsent() {
        JsonNode event = event(new UrlRequest("GET", "/health", null, List.of(), null, "127.0.0.1", "HTTP/1.1"), 1);
        assertFalse(event.has("queryStringParameters"));
        assertFalse(event.has("body"));
        assertFalse(event.get("isBase64Encoded").asBoolean());
    }
}
