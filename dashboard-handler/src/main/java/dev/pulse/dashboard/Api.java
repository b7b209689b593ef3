package dev.pulse.dashboard;

import dev.pulse.core.http.ClientError;
import dev.pulse.core.http.HttpRequest;
import dev.pulse.core.http.QueryString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.BatchIngest;
import dev.pulse.core.BatchValidation;
import dev.pulse.core.Health;
import dev.pulse.core.IdempotencyKey;
import dev.pulse.core.IdempotencyKeyReusedException;
import dev.pulse.core.Ingest;
import dev.pulse.core.Item;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemPage;
import dev.pulse.core.ItemStore;
import dev.pulse.core.ItemValidator;
import dev.pulse.core.Json;
import dev.pulse.core.StoreUnavailableException;
import dev.pulse.core.Tags;
import dev.pulse.core.Validation;
import dev.pulse.core.http.HttpResponse;
import dev.pulse.core.http.Routes;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** The JSON routes of docs/architecture.md#the-dashboard-function. Client errors leave as {@link ClientError}; store failures as {@link StoreUnavailableException}. */
final class Api {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final ItemStore store;
    private final DashboardConfig config;

    Api(ItemStore store, DashboardConfig config) {
        this.store = store;
        this.config = config;
    }

    /** 200 when the table answers; 503 when not (including a failed set-up), the reason in the request's notes. */
    HttpResponse health(RequestNotes notes) {
        Health health = Health.check(() -> store, store.tableName(), config.version(), notes::cause);
        HttpResponse response = HttpResponse.json(health.status(), health.body());
        return health.ok() ? response : response.withHeader("Retry-After", Health.RETRY_AFTER_SECONDS);
    }

    HttpResponse metrics() {
        return HttpResponse.json(200, Json.metrics(store.metrics()));
    }

    HttpResponse runtime() {
        ObjectNode body = Json.object()
                .put("sse_url", config.sseUrl())
                .put("stream_url", config.streamUrl(Routes.STREAM))
                .put("version", config.version())
                .put("writes_require_key", config.apiKey().required());
        return HttpResponse.json(200, body);
    }

    /** {@code GET /api/v2/items?limit=&tag=&after=}: newest first; {@code next} is the {@code after} of the next page. */
    HttpResponse listItems(HttpRequest request) {
        QueryString query = request.query();
        int limit = limit(query.get("limit"));
        String tag = query.get("tag");
        if (tag != null && !Tags.isValidTag(tag)) {
            throw QueryString.invalid("tag", "tag must be 1-16 characters of A-Z, 0-9, '.', '_' or '-'");
        }
        String after = query.get("after");
        if (after != null && !ItemId.isValid(after)) {
            throw QueryString.invalid("after",
                    "after must be an item id such as 0000000000000042 (the 'next' of the previous page)");
        }
        ItemPage page = store.newest(limit, tag, after);
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        page.items().forEach(item -> items.add(Json.item(item)));
        body.put("next", page.next());
        return HttpResponse.json(200, body);
    }

    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        // Digits only (no sign, no spaces, at most 3 of them), so parsing cannot overflow.
        int limit = raw.matches("[0-9]{1,3}") ? Integer.parseInt(raw) : 0;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw QueryString.invalid("limit", "limit must be an integer from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** {@code GET /api/v2/items/{id}}: the target of a created item's {@code Location}. */
    HttpResponse getItem(String id) {
        if (!ItemId.isValid(id)) {
            throw ClientError.of(400, "invalid_id", "an item id is 16 digits, such as 0000000000000042");
        }
        Item found = store.get(id)
                .orElseThrow(() -> ClientError.of(404, "item_not_found", "no item has the id " + id));
        return HttpResponse.json(200, Json.item(found));
    }

    /**
     * {@code POST /api/v2/items}: one item (a JSON object) or a batch (a JSON array of 1 to {@link ItemStore#MAX_BATCH}
     * items, stored all or nothing). Checks run cheapest and most fundamental first: key (401), the
     * {@code Idempotency-Key}'s form (400), size (413), media type (415), JSON syntax (400), a batch's count (413),
     * fields (422); only then is the store touched.
     */
    HttpResponse createItem(HttpRequest request, RequestNotes notes) {
        if (!config.apiKey().accepts(request.header("Authorization"))) {
            boolean presented = request.header("Authorization") != null;
            return HttpResponse.error(401, "unauthorized", presented
                            ? "the API key is wrong: send Authorization: Bearer <PULSE_API_KEY>"
                            : "writes need the API key: send Authorization: Bearer <PULSE_API_KEY>")
                    .withHeader("WWW-Authenticate", presented
                            ? "Bearer realm=\"pulse\", error=\"invalid_token\""
                            : "Bearer realm=\"pulse\"");
        }
        IdempotencyKey key = idempotencyKey(request.header("Idempotency-Key"));
        byte[] bytes = request.bodyBytes();
        if (bytes.length > MAX_BODY_BYTES) {
            return HttpResponse.error(413, "payload_too_large",
                    "the body is " + bytes.length + " bytes; the limit is " + MAX_BODY_BYTES + " bytes (64 KiB)");
        }
        checkMediaType(request.header("Content-Type"));
        JsonNode body = parse(bytes);
        try {
            return body.isArray() ? createBatch(body, key, request, notes) : createOne(body, key, request, notes);
        } catch (IdempotencyKeyReusedException e) {
            return HttpResponse.error(422, "idempotency_key_reused", e.getMessage());
        }
    }

    /** One item: 201 with the stored item and its {@code Location}, or 200 with the original when the key stored it. */
    private HttpResponse createOne(JsonNode body, IdempotencyKey key, HttpRequest request, RequestNotes notes) {
        Validation validation = ItemValidator.validate(body);
        if (!validation.ok()) {
            return HttpResponse.error(422, Json.error("validation_failed",
                    "some fields are invalid; see fields", validation.fieldErrors()));
        }
        long begun = System.nanoTime();
        Ingest ingest = store.put(validation.item(), key, request.deadline());
        if (!ingest.replayed()) {
            notes.ingested(1, System.nanoTime() - begun);
        }
        Item item = ingest.item();
        // A repeat gets the original item with 200: nothing new was created.
        return HttpResponse.json(ingest.replayed() ? 200 : 201, Json.item(item))
                .withHeader("Location", Routes.ITEMS + "/" + item.id());
    }

    /**
     * A batch: 201 {@code {"items": [...]}} with the stored items in the array's order (contiguous ids), or 200 with
     * the original items when the key already stored this batch.
     */
    private HttpResponse createBatch(JsonNode array, IdempotencyKey key, HttpRequest request, RequestNotes notes) {
        if (array.size() > ItemStore.MAX_BATCH) {
            ObjectNode error = Json.error("too_many_items", "a batch holds at most " + ItemStore.MAX_BATCH
                    + " items (one DynamoDB transaction); this one has " + array.size() + ": send it in parts");
            return HttpResponse.json(413, error.put("max_items", ItemStore.MAX_BATCH));
        }
        if (array.isEmpty()) {
            return HttpResponse.error(422, Json.error("validation_failed", "the batch is empty",
                    Map.of("body", "must hold 1 to " + ItemStore.MAX_BATCH + " items")));
        }
        BatchValidation validation = ItemValidator.validateBatch(array);
        if (!validation.ok()) {
            return HttpResponse.error(422, Json.error("validation_failed",
                    "some items have invalid fields; see fields ([index].field, counted from 0); nothing was stored",
                    validation.fieldErrors()));
        }
        long begun = System.nanoTime();
        BatchIngest ingest = store.putAll(validation.items(), key, request.deadline());
        if (!ingest.replayed()) {
            notes.ingested(ingest.items().size(), System.nanoTime() - begun);
        }
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        ingest.items().forEach(item -> items.add(Json.item(item)));
        return HttpResponse.json(ingest.replayed() ? 200 : 201, body);
    }

    /** The optional {@code Idempotency-Key}: 1-64 visible ASCII characters, or a 400. */
    private static IdempotencyKey idempotencyKey(String raw) {
        if (raw == null) {
            return null;
        }
        if (!IdempotencyKey.isValid(raw)) {
            throw ClientError.of(400, "invalid_idempotency_key", "Idempotency-Key must be 1-" + IdempotencyKey.MAX_LENGTH
                    + " visible ASCII characters (no spaces), e.g. a UUID; got " + raw.length() + " characters");
        }
        return new IdempotencyKey(raw);
    }

    /**
     * A missing Content-Type is accepted (curl without -H, scripts); one that is present must be JSON
     * ({@code application/json} or a {@code +json} type) in UTF-8, so a form post fails loudly with 415.
     */
    private static void checkMediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String[] parts = contentType.split(";", -1);   // -1: ";" alone still yields a (blank) type
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
        boolean utf8 = true;
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].strip().split("=", 2);
            if (param[0].strip().equalsIgnoreCase("charset") && param.length == 2) {
                String charset = param[1].strip().replace("\"", "");
                utf8 = charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("utf8");
            }
        }
        if (!json || !utf8) {
            throw ClientError.of(415, "unsupported_media_type",
                    "send the item as Content-Type: application/json (UTF-8); got " + contentType);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ClientError.of(400, "invalid_json", "the body is not valid UTF-8");
        }
        if (text.isBlank()) {
            throw ClientError.of(400, "invalid_json", "the body is empty; send the item as a JSON object");
        }
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw ClientError.of(400, "invalid_json", "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
