package dev.pulse.sse.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Health;
import dev.pulse.core.ItemId;
import dev.pulse.core.ItemStore;
import dev.pulse.core.Json;
import dev.pulse.core.Metrics;
import dev.pulse.core.StoreUnavailableException;
import dev.pulse.core.Tags;
import dev.pulse.core.http.ClientError;
import dev.pulse.core.http.HttpRequest;
import dev.pulse.core.http.HttpResponse;
import dev.pulse.core.http.QueryString;
import dev.pulse.core.http.Routes;
import dev.pulse.core.telemetry.Level;
import dev.pulse.core.telemetry.RequestLine;
import dev.pulse.core.telemetry.Telemetry;
import dev.pulse.sse.http.Answers;
import dev.pulse.sse.http.Payloads;
import dev.pulse.lambda.http.HttpPrelude;
import dev.pulse.lambda.http.HttpResponses;
import dev.pulse.lambda.runtime.Context;
import dev.pulse.lambda.runtime.Handler;
import dev.pulse.lambda.runtime.Response;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SSE function's application: routes one request and returns its answer, the event stream or a whole JSON
 * answer, for the runtime to send. Everything that can fail for a client reason is decided before the stream's
 * prelude, so it becomes a 4xx/503 JSON answer; store trouble during a stream is retried by the poller.
 *
 * <p>Every request writes one line (docs/operations.md): a whole answer its request line, a stream its start line
 * and, when it ends, its end line.
 */
public final class SseApp implements Handler {

    static final String ALLOW = "GET, OPTIONS";
    private static final long DEADLINE_MARGIN_MS = 5_000;

    private final SseConfig config;
    private final ItemStore store;
    private final ItemFeed feed;
    private final Telemetry telemetry;
    /** The root's and {@code /status}' answers depend on the settings only: built once, at init. */
    private final HttpResponse index;
    private final HttpResponse status;

    public SseApp(SseConfig config, ItemStore store, Telemetry telemetry) {
        this.config = config;
        this.store = store;
        this.telemetry = telemetry;
        this.feed = new ItemFeed(store, config.pollInterval(), ItemSequence.GIVE_UP_ON_MISSING,
                warning -> telemetry.text(Level.WARN, null, warning));
        this.index = index();
        this.status = status(config);
    }

    /**
     * SnapStart's after-restore hook: this environment was restored from a snapshot taken after init, possibly days
     * ago. Forgets the counters read before it and makes one small read of the table, so that the DynamoDB client
     * replaces a connection the snapshot kept (the peer closed it long ago) and fetches credentials for this
     * environment before the first viewer waits for either. A table that does not answer is the first request's to
     * report; the restore goes on. Writes one line either way.
     */
    public void restored() {
        feed.forgetStartCounters();
        long began = System.nanoTime();
        try {
            store.ping();
            telemetry.text(Level.INFO, null, "restored from a snapshot; the table answered in "
                    + (System.nanoTime() - began) / 1_000_000 + " ms");
        } catch (StoreUnavailableException e) {
            telemetry.text(Level.WARN, null, "restored from a snapshot; the table did not answer: " + e.getMessage());
        }
    }

    /** One request: its method, path and arrival, and what went wrong on our side (for its line). */
    private static final class Exchange {
        final String requestId;
        final String method;
        final String path;
        final long startedNanos = System.nanoTime();
        final Instant startedAt = Instant.now();
        String cause;

        Exchange(String requestId, String method, String path) {
            this.requestId = requestId;
            this.method = method;
            this.path = path;
        }
    }

    @Override
    public Response handle(byte[] event, Context context) {
        HttpRequest request = Payloads.request(event, context.deadlineEpochMs());
        String path = request.path();
        Exchange exchange = new Exchange(context.requestId(), request.method(), path);
        String origin = request.header("origin");
        boolean known = path.equals(Routes.STREAM) || path.equals(Routes.STREAM_STATUS) || path.equals(Routes.HEALTH)
                || path.equals(Routes.ROOT);
        if (!known) {
            return send(exchange, HttpResponse.error(404, "not_found", "no route for " + path), origin);
        }
        return switch (request.method()) {
            case "GET" -> switch (path) {
                case Routes.STREAM -> stream(exchange, request, context.deadlineEpochMs(), origin);
                case Routes.STREAM_STATUS -> send(exchange, status, origin);
                case Routes.ROOT -> send(exchange, index, origin);
                default -> send(exchange, health(exchange), origin);
            };
            case "OPTIONS" -> {
                boolean preflight = origin != null && request.header("access-control-request-method") != null;
                HttpResponse answer = preflight ? config.cors().preflight(origin, ALLOW)
                        : HttpResponse.empty(204).withHeader("Allow", ALLOW);
                yield send(exchange, answer, preflight ? null : origin);
            }
            default -> send(exchange, HttpResponse.error(405, "method_not_allowed",
                    request.method() + " is not allowed on " + path + "; use GET").withHeader("Allow", ALLOW), origin);
        };
    }

    /** What someone who opens the SSE URL that {@code make run} printed sees: where the streams are. */
    private static HttpResponse index() {
        ObjectNode body = Json.object()
                .put("service", "pulse SSE function (RESPONSE_STREAM)")
                .put("stream", Routes.STREAM)
                .put("stream_filtered", Routes.STREAM + "?tags=AAPL,MSFT")
                .put("status", Routes.STREAM_STATUS)
                .put("health", Routes.HEALTH)
                .put("note", "open the dashboard function's URL for the page; curl -N this URL + api/v2/stream for events");
        return HttpResponse.json(200, body);
    }

    private static HttpResponse status(SseConfig config) {
        ObjectNode body = Json.object()
                .put("status", "ok")
                .put("invoke_mode", "RESPONSE_STREAM")
                .put("heartbeat_interval_seconds", config.heartbeatInterval().toSeconds())
                .put("max_stream_seconds", config.maxStream().toSeconds())
                .put("poll_interval_ms", config.pollInterval().toMillis())
                .put("version", config.version());
        return HttpResponse.json(200, body);
    }

    /** 200 when the table answers; 503 when not, the reason in the log (like the dashboard's). */
    private HttpResponse health(Exchange exchange) {
        Health health = Health.check(() -> store, store.tableName(), config.version(), line -> exchange.cause = line);
        HttpResponse response = HttpResponse.json(health.status(), health.body());
        return health.ok() ? response : response.withHeader("Retry-After", Health.RETRY_AFTER_SECONDS);
    }

    private Response stream(Exchange exchange, HttpRequest request, long deadlineEpochMs, String origin) {
        QueryString query;
        try {
            query = request.query();
        } catch (ClientError e) {
            return send(exchange, e.response(), origin);
        }
        String filter = query.get("tags");
        Optional<Set<String>> tags = Tags.parseFilter(filter);
        if (tags.isEmpty()) {
            return send(exchange, HttpResponse.error(400, "invalid_tags", "tags must be a comma-separated list of at most "
                    + Tags.MAX_FILTER_TAGS + " tags, e.g. ?tags=AAPL,MSFT: "
                    + Tags.filterProblem(filter).orElse("it is not one")), origin);
        }
        String resumeId = resumeId(request, query);
        Long resumeFrom = resumePosition(resumeId);
        StreamSession.Start start;
        try {
            start = start(resumeFrom);
        } catch (StoreUnavailableException e) {
            exchange.cause = "store unavailable at stream start: " + e.getMessage();
            return send(exchange, HttpResponse.error(503, "store_unavailable", Health.UNAVAILABLE_MESSAGE)
                    .withHeader("Retry-After", Health.RETRY_AFTER_SECONDS), origin);
        }
        boolean resumeIgnored = start.fresh() && resumeId != null;
        long nowNanos = System.nanoTime();
        long maxEnd = nowNanos + config.maxStream().toNanos();
        EndReason reason = EndReason.MAX_STREAM;
        long endAt = maxEnd;
        if (deadlineEpochMs > 0) {
            long deadlineEnd = nowNanos + (deadlineEpochMs - DEADLINE_MARGIN_MS - System.currentTimeMillis()) * 1_000_000L;
            if (deadlineEnd - maxEnd < 0) {
                endAt = deadlineEnd;
                reason = EndReason.DEADLINE;
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/event-stream; charset=utf-8");
        headers.put("Cache-Control", "no-cache");
        headers.put("X-Accel-Buffering", "no");
        headers.putAll(config.cors().headersFor(origin));
        long streamEnd = endAt;
        EndReason plannedEnd = reason;
        return HttpResponses.stream(HttpPrelude.of(200, headers), sink -> {
            StreamStats stats = new StreamStats();
            StreamLog log = new StreamLog(telemetry, exchange.requestId, stats, exchange.startedNanos);
            log.started(exchange.path, tags.get().isEmpty() ? null : String.join(",", tags.get()), start, resumeIgnored,
                    plannedEnd, (streamEnd - System.nanoTime()) / 1_000_000, System.nanoTime() - exchange.startedNanos);
            new StreamSession(sink, feed, config, new StreamSession.Plan(tags.get(), start, streamEnd, plannedEnd),
                    new StreamSession.Reporting(telemetry, exchange.requestId, stats, log, exchange.startedAt)).run();
        });
    }

    /**
     * Where a stream starts: the feed's recent counters, or one read shared with the streams starting at the same time
     * ({@link ItemFeed#snapshotForStart}). A resume id beyond those counters is checked against the head record
     * itself, since the client may have it from an environment whose feed is ahead of this one's; an id beyond the
     * head was never given out, and the stream starts from now.
     */
    private StreamSession.Start start(Long resumeFrom) {
        Metrics snapshot = feed.snapshotForStart();
        if (resumeFrom == null) {
            return StreamSession.Start.fresh(snapshot);
        }
        if (resumeFrom <= snapshot.total() || resumeFrom <= store.lastSequence()) {
            return StreamSession.Start.resume(resumeFrom, snapshot);
        }
        return StreamSession.Start.fresh(snapshot);
    }

    /**
     * The id the client sent to resume from, whether or not it is one: {@code Last-Event-ID} (what a browser sends
     * when it reconnects), else {@code ?lastEventId=}; null when it sent neither.
     */
    private static String resumeId(HttpRequest request, QueryString query) {
        String header = request.header("last-event-id");
        return header != null && !header.isBlank() ? header : query.get("lastEventId");
    }

    /** The resume id as a sequence number; null (start from now) when absent or not an item id. */
    private static Long resumePosition(String resumeId) {
        if (resumeId == null) {
            return null;
        }
        String id = resumeId.strip();
        return ItemId.isValid(id) ? ItemId.sequenceOf(id) : null;
    }

    /** A whole answer, and its request line. */
    private Response send(Exchange exchange, HttpResponse response, String origin) {
        new RequestLine(exchange.requestId, exchange.method, exchange.path, response.status(), response.errorCode(),
                exchange.cause, System.nanoTime() - exchange.startedNanos).log(telemetry, line -> { });
        return Answers.of(origin == null ? response : config.cors().decorate(response, origin));
    }
}
