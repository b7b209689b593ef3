package dev.pulse.e2e.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.e2e.client.FunctionTarget;
import dev.pulse.e2e.client.PulseClient;
import dev.pulse.e2e.client.Request;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.pulse.e2e.it.Api.ITEMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard function's JSON API (docs/architecture.md#the-dashboard-function). Tests that store items are not {@code preprod-safe}. */
@Tag("api")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(E2eExtension.class)
class ApiIT {

    @Test
    @Tag("preprod-safe")
    void healthOfBothFunctions(E2eRun run) {
        PulseClient client = run.client();
        for (FunctionTarget base : FunctionTarget.values()) {
            HttpResponse<String> r = client.send(Request.get("/health").to(base));
            assertEquals(200, r.statusCode(), () -> base + " /health: " + r.body());
            JsonNode h = Api.json(r);
            assertEquals("ok", h.path("status").asText(), h::toString);
            assertFalse(h.path("table").asText().isBlank(), h::toString);
            assertTrue(h.path("version").isTextual(), h::toString);
        }
    }

    @Test
    @Tag("preprod-safe")
    void metricsAreConsistentCounters(E2eRun run) {
        JsonNode m = Api.json(run.client().get("/api/v2/metrics"));
        long total = m.path("total").asLong(-1);
        assertTrue(total >= 0, m::toString);
        assertEquals(total, m.path("positive").asLong() + m.path("neutral").asLong() + m.path("negative").asLong(),
                () -> "labels add up to total: " + m);
        long byTag = 0;
        for (Iterator<JsonNode> it = m.path("by_tag").elements(); it.hasNext(); ) {
            byTag += it.next().asLong();
        }
        assertEquals(total, byTag, () -> "by_tag adds up to total: " + m);
        assertTrue(m.has("updated_at"), m::toString);
    }

    @Test
    @Tag("preprod-safe")
    void theDefaultItemsPageIsNewestFirst(E2eRun run) {
        PulseClient client = run.client();
        JsonNode page = Api.json(client.get(ITEMS));
        JsonNode items = page.path("items");
        assertTrue(items.isArray() && items.size() <= 20, page::toString);
        assertTrue(page.has("next"), page::toString);
        for (int i = 1; i < items.size(); i++) {
            assertTrue(items.get(i - 1).path("id").asText().compareTo(items.get(i).path("id").asText()) > 0,
                    "newest first: " + items);
        }
        for (JsonNode item : items) {
            assertTrue(Api.ITEM_ID.matcher(item.path("id").asText()).matches(), item::toString);
            Instant.parse(item.path("ts").asText());
        }
        if (!page.path("next").isNull()) {
            JsonNode older = Api.json(client.get(ITEMS + "?after=" + page.path("next").asText())).path("items");
            String oldestOfFirst = items.get(items.size() - 1).path("id").asText();
            for (JsonNode item : older) {
                assertTrue(item.path("id").asText().compareTo(oldestOfFirst) < 0, "the next page is older");
            }
        }
    }

    @Test
    void pagingWalksATagNewestFirst(E2eRun run) {
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        List<String> posted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            posted.add(Api.post(client, tag, "page item " + i).path("id").asText());
        }
        List<String> walked = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10; pages++) {
            JsonNode page = Api.json(client.get(ITEMS + "?tag=" + tag + "&limit=2" + (after == null ? "" : "&after=" + after)));
            page.path("items").forEach(i -> {
                assertEquals(tag, i.path("tag").asText());
                walked.add(i.path("id").asText());
            });
            sizes.add(page.path("items").size());
            if (page.path("next").isNull()) {
                break;
            }
            after = page.path("next").asText();
        }
        assertEquals(posted.reversed(), walked, "pages of 2, newest first, nothing skipped or repeated");
        assertEquals(List.of(2, 2, 1), sizes.subList(0, 3));
    }

    @Test
    @Tag("preprod-safe")
    void badQueryParametersAre400(E2eRun run) {
        PulseClient client = run.client();
        for (String q : List.of("limit=0", "limit=101", "limit=abc", "tag=lower", "after=not-an-id")) {
            Api.assertError(client.get(ITEMS + "?" + q), 400, "invalid_query");
        }
        HttpResponse<String> max = client.get(ITEMS + "?limit=100");
        assertEquals(200, max.statusCode(), max::body);
        assertTrue(Api.json(max).path("items").size() <= 100, "limit=100 is the largest page");
    }

    @Test
    void aWriteWithTheKeyStoresTheItem(E2eRun run) {
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        ObjectNode sent = Api.item(tag, "negative", 0.125, "ünïcødé text ✓ for " + tag);
        long before = System.currentTimeMillis();
        JsonNode stored = Api.post(client, sent);
        Api.fields(stored, sent);
        Instant ts = Instant.parse(stored.path("ts").asText());
        assertTrue(Math.abs(ts.toEpochMilli() - before) < 5 * 60_000, "ts is the server's ingest time: " + ts);
        JsonNode listed = Api.json(client.get(ITEMS + "?tag=" + tag)).path("items");
        assertEquals(1, listed.size(), listed::toString);
        assertEquals(stored, listed.get(0), "listed as stored");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyStoresOnce(E2eRun run) {
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        ObjectNode item = Api.item(tag, "positive", 0.8, "sent twice, stored once");
        String key = "e2e-" + java.util.UUID.randomUUID();
        Request write = Request.post(ITEMS, item.toString()).withHeader(PulseClient.IDEMPOTENCY_KEY, key);
        HttpResponse<String> first = client.send(write);
        assertEquals(201, first.statusCode(), first::body);
        HttpResponse<String> again = client.send(write);
        assertEquals(200, again.statusCode(), () -> "a repeat is answered with the original: " + again.body());
        assertEquals(Api.json(first), Api.json(again));
        JsonNode metrics = Api.json(client.get("/api/v2/metrics"));
        assertEquals(1, metrics.path("by_tag").path(tag).asLong(), () -> "stored once: " + metrics);

        HttpResponse<String> other = client.send(Request.post(ITEMS, item.put("text", "another item").toString())
                .withHeader(PulseClient.IDEMPOTENCY_KEY, key));
        Api.assertError(other, 422, "idempotency_key_reused");
        HttpResponse<String> malformed = client.send(Request.post(ITEMS, item.toString())
                .withHeader(PulseClient.IDEMPOTENCY_KEY, "has spaces in it"));
        Api.assertError(malformed, 400, "invalid_idempotency_key");
    }

    @Test
    void aBatchIsStoredInItsOrderUnderContiguousIds_oneKeyCoversIt(E2eRun run) {
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        ArrayNode batch = Api.JSON.createArrayNode();
        for (int i = 0; i < 25; i++) {
            batch.add(Api.item(tag, List.of("positive", "neutral", "negative").get(i % 3), 0.5, "batch item " + i));
        }
        String key = "e2e-" + java.util.UUID.randomUUID();
        Request write = Request.post(ITEMS, batch.toString()).withHeader(PulseClient.IDEMPOTENCY_KEY, key);
        HttpResponse<String> first = client.send(write);
        assertEquals(201, first.statusCode(), first::body);
        JsonNode items = Api.json(first).path("items");
        assertEquals(25, items.size(), items::toString);
        long firstId = Long.parseLong(items.get(0).path("id").asText());
        for (int i = 0; i < 25; i++) {
            assertEquals(firstId + i, Long.parseLong(items.get(i).path("id").asText()), "contiguous ids: " + items);
            Api.fields(items.get(i), batch.get(i));
        }
        HttpResponse<String> again = client.send(write);
        assertEquals(200, again.statusCode(), () -> "a repeat is answered with the originals: " + again.body());
        assertEquals(Api.json(first), Api.json(again));
        assertEquals(25, Api.json(client.get("/api/v2/metrics")).path("by_tag").path(tag).asLong(), "stored once");
        JsonNode listed = Api.json(client.get(ITEMS + "?tag=" + tag + "&limit=100")).path("items");
        assertEquals(items.get(24), listed.get(0), "listed as stored, newest first");

        ((ObjectNode) batch.get(24)).put("text", "another batch");
        Api.assertError(client.send(Request.post(ITEMS, batch.toString()).withHeader(PulseClient.IDEMPOTENCY_KEY, key)),
                422, "idempotency_key_reused");
    }

    @Test
    @Tag("preprod-safe")
    void aBatchWithABadItemOrTooManyItemsStoresNothing(E2eRun run) {
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        ArrayNode batch = Api.JSON.createArrayNode();
        for (int i = 0; i < 50; i++) {
            batch.add(Api.item(tag, "neutral", 0.5, "never stored " + i));
        }
        JsonNode tooMany = Api.assertError(client.postJson(ITEMS, batch.toString()), 413, "too_many_items");
        assertEquals(49, tooMany.path("max_items").asInt(), tooMany::toString);

        batch.remove(49);
        ((ObjectNode) batch.get(17)).put("score", 7);
        JsonNode invalid = Api.assertError(client.postJson(ITEMS, batch.toString()), 422, "validation_failed");
        List<String> named = new ArrayList<>();
        invalid.path("fields").fieldNames().forEachRemaining(named::add);
        assertEquals(List.of("[17].score"), named, invalid::toString);
        Api.assertError(client.postJson(ITEMS, "[]"), 422, "validation_failed");
        assertEquals(0, Api.json(client.get(ITEMS + "?tag=" + tag)).path("items").size(), "nothing stored");
    }

    @Test
    @Tag("preprod-safe")
    void writesWithoutTheRightKeyAre401(E2eRun run) {
        PulseClient client = run.client();
        JsonNode runtime = Api.json(client.get("/api/v2/runtime"));
        boolean required = runtime.has("writes_require_key") ? runtime.path("writes_require_key").asBoolean()
                : run.auth().apiKey() != null;
        Assumptions.assumeTrue(required, "this target accepts writes without a key (no PULSE_API_KEY configured)");
        String tag = E2eRun.uniqueTag();
        String body = Api.item(tag, "neutral", 0.5, "must not be stored").toString();
        Api.assertError(client.send(Request.post(ITEMS, body).withoutKey()), 401, "unauthorized");
        for (String wrong : List.of("Bearer wrong-key", "Bearer ", "Basic dXNlcjpwYXNz",
                "Bearer " + (run.auth().apiKey() == null ? "x" : run.auth().apiKey() + "x"))) {
            Api.assertError(client.send(Request.post(ITEMS, body).withHeader("Authorization", wrong)), 401,
                    "unauthorized");
        }
        assertEquals(0, Api.json(client.get(ITEMS + "?tag=" + tag)).path("items").size(), "nothing stored");
    }

    @Test
    @Tag("preprod-safe")
    void malformedJsonIs400(E2eRun run) {
        PulseClient client = run.client();
        for (String body : List.of("{not json", "", "[1,2", "{\"tag\": \"A\",}")) {
            Api.assertError(client.postJson(ITEMS, body), 400, "invalid_json");
        }
    }

    @Test
    @Tag("preprod-safe")
    void invalidFieldsAre422WithTheFieldsNamed(E2eRun run) {
        PulseClient client = run.client();
        Map<String, List<String>> cases = Map.of(
                "{\"tag\":\"lower case\",\"label\":\"great\",\"score\":1.5,\"text\":\"\"}", List.of("tag", "label", "score", "text"),
                "{}", List.of("tag", "label", "score", "text"),
                "{\"tag\":\"ABC\",\"label\":\"neutral\",\"score\":-0.1,\"text\":\"x\"}", List.of("score"),
                "{\"tag\":\"ABCDEFGHIJKLMNOPQ\",\"label\":\"neutral\",\"score\":0.1,\"text\":\"x\"}", List.of("tag"),
                "{\"tag\":\"ABC\",\"label\":\"neutral\",\"score\":0.1,\"text\":\"" + "x".repeat(2001) + "\"}", List.of("text"),
                "{\"tag\":\"ABC\",\"label\":\"neutral\",\"score\":0.1,\"text\":\"x\",\"source\":\"" + "s".repeat(101) + "\"}",
                List.of("source"));
        cases.forEach((body, fields) -> {
            JsonNode err = Api.assertError(client.postJson(ITEMS, body), 422, "validation_failed");
            for (String f : fields) {
                assertTrue(err.path("fields").has(f), () -> f + " named in " + err + " for " + Api.abbreviate(body));
            }
            assertEquals(fields.size(), err.path("fields").size(), () -> "only the bad fields: " + err);
        });
    }

    @Test
    @Tag("preprod-safe")
    void aBodyOver64KiBIs413(E2eRun run) {
        String huge = Api.item("ABC", "neutral", 0.5, "x".repeat(70 * 1024)).toString();
        Api.assertError(run.client().postJson(ITEMS, huge), 413, "payload_too_large");
    }

    @Test
    @Tag("preprod-safe")
    void unknownPathsAre404AndWrongMethods405WithAllow(E2eRun run) {
        PulseClient client = run.client();
        Api.assertError(client.get("/api/v2/nope"), 404, "not_found");
        HttpResponse<String> r = client.send(Request.of("DELETE", ITEMS));
        Api.assertError(r, 405, "method_not_allowed");
        String allow = r.headers().firstValue("Allow").orElse("");
        assertTrue(allow.contains("GET") && allow.contains("POST"), "Allow: " + allow);
        HttpResponse<String> m = client.send(Request.of("PUT", "/api/v2/metrics").withBody("{}"));
        Api.assertError(m, 405, "method_not_allowed");
        assertTrue(m.headers().firstValue("Allow").orElse("").contains("GET"), m.headers().map()::toString);
    }
}
