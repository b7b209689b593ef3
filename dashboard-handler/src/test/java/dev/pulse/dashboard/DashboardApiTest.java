package dev.pulse.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.DynamoItemStore;
import dev.pulse.core.ItemId;
import dev.pulse.lambda.http.FunctionUrlEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route's happy path, through real payload-2.0 events, against the DynamoDB emulator. */
class DashboardApiTest {

    private static final String SSE = "http://127.0.0.1:8081/";
    private static final StoreFixture fixture = StoreFixture.shared();
    private DynamoItemStore store;
    private DashboardHandler handler;

    @BeforeEach
    void freshTable() {
        store = fixture.freshStore();
        handler = new DashboardHandler(store, DashboardConfig.fromEnvironment(
                Map.of("SSE_URL", "http://127.0.0.1:8081", "PULSE_VERSION", "1.2.3")));
    }

    private Reply call(FunctionUrlEvent request) {
        return Reply.call(handler, request);
    }

    private JsonNode post(String tag, String label, double score, String text) {
        Reply reply = call(FunctionUrlEvent.post("/api/v2/items", String.format(
                "{\"tag\":\"%s\",\"label\":\"%s\",\"score\":%s,\"text\":\"%s\"}", tag, label, score, text)));
        assertEquals(201, reply.status(), reply::body);
        return reply.json();
    }

    @Test
    void healthNamesTableAndVersion() {
        Reply reply = call(FunctionUrlEvent.get("/health"));
        assertEquals(200, reply.status());
        JsonNode body = reply.json();
        assertEquals("ok", body.path("status").asText());
        assertEquals(store.tableName(), body.path("table").asText());
        assertEquals("1.2.3", body.path("version").asText());
    }

    @Test
    void runtimeTellsTheBrowserWhereTheStreamIs() {
        JsonNode body = call(FunctionUrlEvent.get("/api/v2/runtime")).json();
        assertEquals(SSE, body.path("sse_url").asText(), "normalised to end with /");
        assertEquals(SSE + "api/v2/stream", body.path("stream_url").asText());
        assertEquals("1.2.3", body.path("version").asText());
        assertFalse(body.path("writes_require_key").asBoolean(true), "no key configured: writes are open");
    }

    @Test
    void emptyTableHasZeroMetricsAndNoItems() {
        JsonNode metrics = call(FunctionUrlEvent.get("/api/v2/metrics")).json();
        assertEquals(0, metrics.path("total").asLong(-1));
        assertTrue(metrics.path("by_tag").isObject() && metrics.path("by_tag").isEmpty());
        assertTrue(metrics.path("updated_at").isNull());
        JsonNode page = call(FunctionUrlEvent.get("/api/v2/items")).json();
        assertTrue(page.path("items").isArray() && page.path("items").isEmpty());
        assertTrue(page.path("next").isNull());
    }

    @Test
    void postStoresTheItemAndAnswers201WithLocation() {
        Reply reply = call(FunctionUrlEvent.post("/api/v2/items",
                "{\"tag\":\"AAPL\",\"label\":\"positive\",\"score\":0.91,\"text\":\"beats <b>estimates</b> \\u2713\","
                        + "\"source\":\"wire\"}"));
        assertEquals(201, reply.status(), reply::body);
        JsonNode item = reply.json();
        String id = item.path("id").asText();
        assertTrue(ItemId.isValid(id), id);
        assertEquals("/api/v2/items/" + id, reply.header("Location"));
        assertEquals("AAPL", item.path("tag").asText());
        assertEquals("positive", item.path("label").asText());
        assertEquals(0.91, item.path("score").asDouble());
        assertEquals("beats <b>estimates</b> \u2713", item.path("text").asText());
        assertEquals("wire", item.path("source").asText());
        Instant.parse(item.path("ts").asText());

        JsonNode fetched = call(FunctionUrlEvent.get(reply.header("Location"))).json();
        assertEquals(item, fetched, "Location leads to the stored item");
        JsonNode metrics = call(FunctionUrlEvent.get("/api/v2/metrics")).json();
        assertEquals(1, metrics.path("total").asLong());
        assertEquals(1, metrics.path("positive").asLong());
        assertEquals(1, metrics.path("by_tag").path("AAPL").asLong());
        assertEquals(item.path("ts").asText(), metrics.path("updated_at").asText());
    }

    @Test
    void unknownButWellFormedIdIs404AndMalformedIs400() {
        post("AAPL", "neutral", 0.5, "one");
        call(FunctionUrlEvent.get("/api/v2/items/0000000000000099")).assertError(404, "item_not_found");
        call(FunctionUrlEvent.get("/api/v2/items/not-an-id")).assertError(400, "invalid_id");
        call(FunctionUrlEvent.get("/api/v2/items/0000000000000001/extra")).assertError(404, "not_found");
        Reply wrongMethod = call(FunctionUrlEvent.request("DELETE", "/api/v2/items/0000000000000001"));
        wrongMethod.assertError(405, "method_not_allowed");
        assertEquals("GET, HEAD, OPTIONS", wrongMethod.header("Allow"));
    }

    @Test
    void itemsPageNewestFirstAndFollowNext() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(post(i % 2 == 0 ? "AAPL" : "MSFT", "neutral", 0.5, "item " + i).path("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = call(FunctionUrlEvent.get("/api/v2/items?limit=2" + (next == null ? "" : "&after=" + next))).json();
            page.path("items").forEach(item -> seen.add(item.path("id").asText()));
            next = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (next != null && pages < 10);
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0)), seen);
        assertEquals(3, pages);
    }

    @Test
    void itemsFilterByTagAndDefaultLimitIs20() {
        for (int i = 0; i < 23; i++) {
            post(i < 3 ? "MSFT" : "AAPL", "negative", 0.1, "item " + i);
        }
        JsonNode all = call(FunctionUrlEvent.get("/api/v2/items")).json();
        assertEquals(20, all.path("items").size());
        assertFalse(all.path("next").isNull());
        JsonNode msft = call(FunctionUrlEvent.get("/api/v2/items?tag=MSFT&limit=100")).json();
        assertEquals(3, msft.path("items").size());
        msft.path("items").forEach(item -> assertEquals("MSFT", item.path("tag").asText()));
        assertTrue(msft.path("next").isNull());
        // Unknown parameters (cache busters) are ignored; percent-encoding is decoded.
        JsonNode encoded = call(FunctionUrlEvent.get("/api/v2/items?_=123&tag=%4DSFT&limit=1")).json();
        assertEquals("MSFT", encoded.path("items").get(0).path("tag").asText());
    }

    @Test
    void pathsAreNormalised() {
        assertEquals(200, call(FunctionUrlEvent.get("//api//v2/metrics/")).status());
        assertEquals(200, call(FunctionUrlEvent.get("/health/")).status());
        assertEquals(201, call(FunctionUrlEvent.post("/api/v2/items/", "{\"tag\":\"A\",\"label\":\"neutral\","
                + "\"score\":0,\"text\":\"t\"}")).status());
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        post("AAPL", "neutral", 0.5, "one");
        for (String path : List.of("/health", "/api/v2/metrics", "/api/v2/items", "/api/v2/runtime", "/")) {
            Reply head = call(FunctionUrlEvent.request("HEAD", path));
            Reply get = call(FunctionUrlEvent.get(path));
            assertEquals(get.status(), head.status(), path);
            assertEquals(get.header("Content-Type"), head.header("Content-Type"), path);
            assertEquals("", head.body(), path);
        }
    }

    @Test
    void optionsListsTheMethods() {
        Reply items = call(FunctionUrlEvent.request("OPTIONS", "/api/v2/items"));
        assertEquals(204, items.status());
        assertEquals("GET, HEAD, POST, OPTIONS", items.header("Allow"));
        assertEquals("GET, HEAD, OPTIONS", call(FunctionUrlEvent.request("OPTIONS", "/health")).header("Allow"));
    }

    @Test
    void theDashboardPageAndItsAssets() {
        Reply page = call(FunctionUrlEvent.get("/").header("accept", "text/html"));
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
        assertTrue(page.body().contains("<script src=\"/assets/app.js\""), "the page loads its script");
        assertTrue(page.body().contains("id=\"connection\""), "the page shows the connection state");
        String csp = page.header("Content-Security-Policy");
        assertTrue(csp.contains("connect-src 'self' http://127.0.0.1:8081;"), csp);
        assertTrue(csp.contains("script-src 'self'"), csp);

        Reply js = call(FunctionUrlEvent.get("/assets/app.js"));
        assertEquals(200, js.status());
        assertEquals("text/javascript; charset=utf-8", js.header("Content-Type"));
        assertTrue(js.body().contains("new EventSource("), "the page streams with EventSource");
        assertTrue(js.body().contains("'/api/v2/runtime'"), "it finds the SSE URL at runtime");
        assertTrue(js.body().contains("'/api/v2/stream'"), "and appends the stream path to it");
        assertFalse(js.body().contains("innerHTML"), "user text is never parsed as HTML");

        Reply css = call(FunctionUrlEvent.get("/assets/app.css"));
        assertEquals("text/css; charset=utf-8", css.header("Content-Type"));

        Reply notModified = call(FunctionUrlEvent.get("/assets/app.js").header("if-none-match", js.header("ETag")));
        assertEquals(304, notModified.status());
        assertEquals("", notModified.body());

        call(FunctionUrlEvent.get("/assets/other.js")).assertError(404, "not_found");
        call(FunctionUrlEvent.get("/assets/../pom.xml")).assertError(404, "not_found");
        call(FunctionUrlEvent.get("/favicon.ico")).assertError(404, "not_found");
        Reply postToPage = call(FunctionUrlEvent.post("/", "{}"));
        postToPage.assertError(405, "method_not_allowed");
        assertEquals("GET, HEAD, OPTIONS", postToPage.header("Allow"));
    }

    @Test
    void aSourceIsOptional() {
        Reply reply = call(FunctionUrlEvent.post("/api/v2/items",
                "{\"tag\":\"BTC-USD\",\"label\":\"negative\",\"score\":1,\"text\":\"x\"}"));
        assertEquals(201, reply.status(), reply::body);
        assertNull(reply.json().get("source").textValue());
    }

    @Test
    void writesWithTheKeyAndEveryAcceptedBodyShape() {
        DashboardHandler keyed = new DashboardHandler(store, DashboardConfig.fromEnvironment(Map.of("PULSE_API_KEY_SHA256", ApiKey.sha256Hex("k"))));
        assertTrue(Reply.call(keyed, FunctionUrlEvent.get("/api/v2/runtime")).json().path("writes_require_key").asBoolean());
        String valid = "{\"tag\":\"AAPL\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"t\"}";
        // scheme is case-insensitive; a missing Content-Type is accepted; charset utf-8 and +json types are JSON
        assertEquals(201, Reply.call(keyed, FunctionUrlEvent.post("/api/v2/items", valid).header("authorization", "bearer k")).status());
        assertEquals(201, Reply.call(keyed, FunctionUrlEvent.post("/api/v2/items", valid).header("authorization", "Bearer k")
                .withoutHeader("content-type")).status());
        assertEquals(201, Reply.call(keyed, FunctionUrlEvent.post("/api/v2/items", valid).header("authorization", "Bearer k")
                .header("content-type", "application/json; charset=UTF-8")).status());
        assertEquals(201, Reply.call(keyed, FunctionUrlEvent.post("/api/v2/items", valid).header("authorization", "Bearer k")
                .header("content-type", "application/vnd.pulse+json")).status());
        // A Function URL may base64-encode the body; the handler decodes it.
        Reply base64 = Reply.call(keyed, FunctionUrlEvent.post("/api/v2/items", null).header("authorization", "Bearer k")
                .base64Body(valid.replace("\"t\"", "\"caf\u00e9\"").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(201, base64.status(), base64::body);
        assertEquals("caf\u00e9", base64.json().path("text").asText());
        assertEquals(5, store.metrics().total());
    }

    @Test
    void duringAKeyRotationTheNewAndTheOldKeyBothWrite() {
        DashboardHandler rotating = new DashboardHandler(store, DashboardConfig.fromEnvironment(Map.of(
                "PULSE_API_KEY_SHA256", ApiKey.sha256Hex("new-key") + "," + ApiKey.sha256Hex("old-key"))));
        String valid = "{\"tag\":\"AAPL\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"t\"}";
        assertEquals(201, Reply.call(rotating, FunctionUrlEvent.post("/api/v2/items", valid).header("authorization", "Bearer new-key")).status());
        assertEquals(201, Reply.call(rotating, FunctionUrlEvent.post("/api/v2/items", valid).header("authorization", "Bearer old-key")).status());
        assertEquals(401, Reply.call(rotating, FunctionUrlEvent.post("/api/v2/items", valid).header("authorization", "Bearer other")).status());
        assertEquals(2, store.metrics().total());
    }

    @Test
    void theSmallestScoreDynamoDbHoldsIsStored() {
        JsonNode item = post("TINY", "neutral", 1e-130, "at DynamoDB's lower bound");
        assertEquals(1e-130, item.path("score").asDouble());
        assertEquals(1e-130, store.newest(1, "TINY", null).items().get(0).score());
    }

    @Test
    void aBodyOfExactly64KiBIsAccepted() {
        String valid = "{\"tag\":\"AAPL\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"t\"}";
        String body = valid + " ".repeat(Api.MAX_BODY_BYTES - valid.length());
        assertEquals(65536, body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertEquals(201, call(FunctionUrlEvent.post("/api/v2/items", body)).status());
    }

    private static String fixture(String name) throws java.io.IOException {
        try (var in = DashboardApiTest.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRecordedBrowserEventDocument() throws Exception {
        JsonNode first = post("AAPL", "positive", 0.9, "one");
        post("MSFT", "neutral", 0.5, "two");
        JsonNode third = post("AAPL", "negative", 0.1, "three");
        var event = Reply.SERIALIZER.fromJson(fixture("function-url-browser-get.json"));
        assertEquals("limit=2&tag=AAPL&_=1764000000000", event.getRawQueryString());
        assertEquals("GET", event.getRequestContext().getHttp().getMethod());
        assertFalse(event.getIsBase64Encoded());
        TestContext context = new TestContext();
        var response = handler.handleRequest(event, context);
        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode page = dev.pulse.core.Json.parse(response.getBody());
        assertEquals(List.of(third.path("id").asText(), first.path("id").asText()),
                List.of(page.path("items").get(0).path("id").asText(), page.path("items").get(1).path("id").asText()));
    }

    @Test
    void aRecordedBase64PostEventDocument() throws Exception {
        DashboardHandler keyed = new DashboardHandler(store, DashboardConfig.fromEnvironment(Map.of("PULSE_API_KEY_SHA256", ApiKey.sha256Hex("k3y"))));
        String document = fixture("function-url-java-post-base64.json");
        var event = Reply.SERIALIZER.fromJson(document);
        assertTrue(event.getIsBase64Encoded(), "the serializer keeps isBase64Encoded");
        var response = keyed.handleRequest(event, new TestContext());
        assertEquals(201, response.getStatusCode(), response.getBody());
        JsonNode item = dev.pulse.core.Json.parse(response.getBody());
        assertEquals("from curl", item.path("text").asText());
        assertEquals("/api/v2/items/" + item.path("id").asText(), response.getHeaders().get("Location"));

        // The same bytes declared as a binary type are refused, not guessed at.
        var octets = Reply.SERIALIZER.fromJson(document.replace(
                "\"accept\": \"*/*\"", "\"accept\": \"*/*\", \"content-type\": \"application/octet-stream\""));
        var refused = keyed.handleRequest(octets, new TestContext());
        assertEquals(415, refused.getStatusCode());
        assertTrue(refused.getBody().contains("\"unsupported_media_type\""));
        assertEquals(1, store.metrics().total());
    }

    /** Seeded random garbage (methods, paths, queries, headers, bodies): always a 4xx/2xx JSON answer, never 5xx. */
    @Test
    void noInputLeadsTo500() {
        java.util.Random random = new java.util.Random(20261124);
        String[] methods = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "get", ""};
        String[] paths = {"/", "/health", "/api/v2/items", "/api/v2/items/", "/api/v2/items/0000000000000001",
                "/api/v2/items/%00", "/api/v2/metrics", "/api/v2/runtime", "/api/v2/stream", "/assets/app.js",
                "//", "/%2e%2e/etc/passwd", "/api/v2/items/../metrics", "/\u00e9", "/api/v2/items?"};
        String[] queries = {"", "limit=", "limit=5", "limit=%", "tag=%ZZ", "after=" + "9".repeat(300), "&&&", "=",
                "limit=1&tag=A&after=0000000000000001", "tag=\u00e9", "a=%F0%9F%98%80"};
        String[] contentTypes = {null, "application/json", "text/plain", "", ";", "application/json; charset=",
                "application/json; charset=\"utf-8\"", "application/+json", "application/json;;"};
        String[] bodies = {null, "", "{", "}", "[]", "{}", "null", "0", "\"x\"", "{\"tag\":null}",
                "{\"tag\":\"A\",\"label\":\"neutral\",\"score\":1e-400,\"text\":\"t\"}",
                "{\"score\":99999999999999999999999999999999999999}", "\u0000", "{\"a\":" + "[".repeat(2000)};
        String[] auths = {null, "", "Bearer", "Bearer x", "Basic", "bearer  ", "Bearer \u00e9"};
        for (int i = 0; i < 1500; i++) {
            String method = methods[random.nextInt(methods.length)];
            String query = queries[random.nextInt(queries.length)];
            String path = paths[random.nextInt(paths.length)];
            FunctionUrlEvent request = FunctionUrlEvent.request(method, query.isEmpty() ? path : path + "?" + query);
            String contentType = contentTypes[random.nextInt(contentTypes.length)];
            if (contentType != null) {
                request.header("content-type", contentType);
            }
            String auth = auths[random.nextInt(auths.length)];
            if (auth != null) {
                request.header("authorization", auth);
            }
            if (random.nextInt(4) == 0) {
                request.header("origin", random.nextBoolean() ? "null" : "https://x.example");
                request.header("access-control-request-method", "POST");
            }
            if (random.nextInt(5) == 0) {
                byte[] bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
                request.base64Body(bytes);
            } else {
                request.body(bodies[random.nextInt(bodies.length)]);
            }
            Reply reply = call(request);
            String what = method + " " + path + "?" + query + " -> " + reply.status() + " " + reply.body();
            assertTrue(reply.status() < 500, () -> what + "\n" + reply.context().logged);
            if (reply.status() >= 400 && !method.equals("HEAD")) {
                assertFalse(reply.json().path("error").asText().isEmpty(), what);
            }
        }
    }
}
