package dev.pulse.dashboard;

import dev.pulse.core.http.HttpRequest;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import dev.pulse.core.Deadline;
import dev.pulse.core.DeferredStore;
import dev.pulse.core.ItemStore;
import dev.pulse.core.StoreSettings;
import dev.pulse.core.http.HttpResponse;
import dev.pulse.core.telemetry.Level;
import dev.pulse.core.telemetry.MetricUnit;
import dev.pulse.core.telemetry.RequestLine;
import dev.pulse.core.telemetry.Telemetry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The dashboard function behind a BUFFERED Function URL (payload format 2.0): the JSON API, writes and
 * the dashboard page (docs/architecture.md#the-dashboard-function). Handler string: {@code dev.pulse.dashboard.DashboardHandler::handleRequest}.
 *
 * <p>Every request gets a JSON answer: client mistakes are 4xx with an error code, store trouble is 503,
 * and anything unexpected is a generic 500 whose details go to the log under the request id.
 *
 * <p>Logging (docs/operations.md): every request writes one JSON line to stdout, its request line, which is
 * also an Embedded Metric Format document when there is something to count (a 4xx by code, a misdirected
 * stream request, an ingested item and its latency). It goes to stdout as it is, not through the Lambda logger:
 * with the JSON log format the managed runtime's {@link LambdaLogger} puts whatever it is given into the
 * {@code message} string of its own object, and CloudWatch would then see neither the metrics nor the fields.
 * What is only text (the stack of a 500, a setting that refuses every write) goes through the Lambda logger, at
 * its level ({@code LambdaLogger.log(String, LogLevel)}, aws-lambda-java-core 1.4.0), which the runtime filters
 * by the function's application log level and formats as JSON with the request id.
 */
public final class DashboardHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Time kept back from the invocation's deadline to build and send the answer. */
    static final long ANSWER_MARGIN_MS = 1_000;
    /** The function's role: the {@code function} of its log lines and the dimension of its metrics. */
    static final String FUNCTION = "dashboard";
    static final String MISDIRECTED = "MisdirectedStreamRequests";
    static final String INGESTED = "ItemsIngested";
    static final String INGEST_LATENCY = "IngestLatency";

    /** Lambda sets AWS_LAMBDA_LOG_FORMAT from the function's logging_config. */
    private static final boolean JSON_LOG_FORMAT = "JSON".equalsIgnoreCase(System.getenv("AWS_LAMBDA_LOG_FORMAT"));

    private final Router router;
    private final Telemetry telemetry;

    /**
     * Used by the Lambda runtime: settings and the store from the environment, log lines to stdout, and the first
     * request's work done now, in init ({@link Priming}).
     */
    public DashboardHandler() {
        this(System.getenv(), Telemetry.toStdout(FUNCTION, System.getenv()));
        if (Priming.enabled(System.getenv())) {
            prime();
        }
    }

    /** The first request's work, done now: synthetic requests through the router, answered to nobody. */
    void prime() {
        Priming.prime(router);
    }

    /** The store named by {@code PULSE_TABLE}; one that cannot be set up answers 503 until it can ({@link DeferredStore}). */
    DashboardHandler(Map<String, String> env, Telemetry telemetry) {
        this(DeferredStore.open(StoreSettings.fromEnvironment(env)), DashboardConfig.fromEnvironment(env), telemetry);
    }

    /** For tests: a given store and settings; the log lines are built and dropped (tests that read them pass a Telemetry). */
    DashboardHandler(ItemStore store, DashboardConfig config) {
        this(store, config, new Telemetry(FUNCTION, "test", Level.INFO, line -> { }, Clock.systemUTC()));
    }

    DashboardHandler(ItemStore store, DashboardConfig config, Telemetry telemetry) {
        this.telemetry = telemetry;
        if (config.apiKey().problem() != null) {
            // Once per cold start, in the function's log: the reason every write is refused.
            text(LambdaRuntime.getLogger(), "every write will be refused: " + config.apiKey().problem(), LogLevel.ERROR);
        }
        this.router = new Router(new Api(store, config), StaticAssets.load(), config);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        String requestId = context == null || context.getAwsRequestId() == null ? "-" : context.getAwsRequestId();
        RequestNotes notes = new RequestNotes();
        String method = "-";
        String path = "-";
        HttpResponse answer;
        boolean head = false;
        try {
            if (event == null) {
                answer = HttpResponse.error(400, "bad_request", "the invocation carried no HTTP event");
            } else {
                HttpRequest request = request(event, deadline(context));
                method = request.method().isEmpty() ? "-" : request.method();
                path = request.path();
                head = request.isHead();
                answer = router.route(request, notes);
            }
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            text(logger(context), "[" + requestId + "] 500 unexpected failure: " + trace, LogLevel.ERROR);
            notes.cause("unexpected failure: " + e);
            answer = HttpResponse.error(500, "internal_error",
                    "something went wrong on our side; the log has the details under request id " + requestId);
            head = false;
        }
        logRequest(requestId, method, path, answer, notes, System.nanoTime() - started);
        return FunctionUrlResponse.of(answer, head);
    }

    /** The request's one line, with the metrics only this function has. */
    private void logRequest(String requestId, String method, String path, HttpResponse answer, RequestNotes notes,
                            long nanos) {
        new RequestLine(requestId, method, path, answer.status(), answer.errorCode(), notes.cause(), nanos)
                .log(telemetry, line -> {
                    if (answer.status() == 421) {
                        line.metric(MISDIRECTED, MetricUnit.COUNT, 1);
                    }
                    if (notes.ingested() && answer.status() == 201) {
                        line.metric(INGESTED, MetricUnit.COUNT, notes.ingestedItems())
                                .metric(INGEST_LATENCY, MetricUnit.MILLISECONDS, notes.ingestMillis());
                    }
                });
    }

    /** The request in the event the managed runtime gives the handler. */
    static HttpRequest request(APIGatewayV2HTTPEvent event, Deadline deadline) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Http http = context == null ? null : context.getHttp();
        String rawPath = event.getRawPath() != null ? event.getRawPath() : http == null ? null : http.getPath();
        return new HttpRequest(http == null ? null : http.getMethod(), rawPath, event.getRawQueryString(),
                event.getHeaders(), event.getBody(), event.getIsBase64Encoded(), deadline);
    }

    /**
     * The invocation's remaining time less a margin for sending the answer, so a slow store call becomes a
     * 503 the client can act on rather than a timeout that says nothing.
     */
    static Deadline deadline(Context context) {
        if (context == null || context.getRemainingTimeInMillis() <= 0) {
            return Deadline.in(ItemStore.DEFAULT_WRITE_TIME);
        }
        return Deadline.in(Duration.ofMillis(Math.max(0, context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS)));
    }

    /**
     * A text line through the Lambda logger. With the JSON log format each call is one JSON object (the runtime adds
     * the line break); with the text format the line break is ours to write.
     */
    private static void text(LambdaLogger logger, String message, LogLevel level) {
        logger.log(JSON_LOG_FORMAT ? message : message + "\n", level);
    }

    private static LambdaLogger logger(Context context) {
        return context != null && context.getLogger() != null ? context.getLogger() : LambdaRuntime.getLogger();
    }
}
