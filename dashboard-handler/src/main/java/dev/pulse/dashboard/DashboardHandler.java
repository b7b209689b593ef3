package dev.pulse.dashboard;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pulse.core.Deadline;
import dev.pulse.core.ItemStore;
import dev.pulse.core.http.HttpResponse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The dashboard function behind a BUFFERED Function URL (payload format 2.0): the JSON API, writes and
 * the dashboard page (docs/architecture.md#the-dashboard-function). Handler string: {@code dev.pulse.dashboard.DashboardHandler::handleRequest}.
 *
 * <p>Every request gets a JSON answer: client mistakes are 4xx with an error code, store trouble is 503,
 * and anything unexpected is a generic 500 whose details go to the log under the request id.
 */
public final class DashboardHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Time kept back from the invocation's deadline to build and send the answer. */
    static final long ANSWER_MARGIN_MS = 1_000;
    private final Router router;

    /** Used by the Lambda runtime: settings and the store from the environment. */
    public DashboardHandler() {
        this(System.getenv());
    }

    DashboardHandler(Map<String, String> env) {
        this(StoreHolder.fromEnvironment(env), DashboardConfig.fromEnvironment(env));
    }

    /** For tests: a given store and settings. */
    DashboardHandler(ItemStore store, DashboardConfig config) {
        this(StoreHolder.of(store), config);
    }

    private DashboardHandler(StoreHolder stores, DashboardConfig config) {
        if (config.apiKey().problem() != null) {
            // Once per cold start, in the function's log: the reason every write is refused.
            System.err.println("dashboard: " + config.apiKey().problem());
        }
        this.router = new Router(new Api(stores, config), StaticAssets.load(), config);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String requestId = context == null || context.getAwsRequestId() == null ? "-" : context.getAwsRequestId();
        Consumer<String> log = line -> log(context, "[" + requestId + "] " + line);
        try {
            if (event == null) {
                return FunctionUrlResponse.of(
                        HttpResponse.error(400, "bad_request", "the invocation carried no HTTP event"), false);
            }
            HttpRequest request = HttpRequest.from(event, deadline(context));
            return FunctionUrlResponse.of(router.route(request, log), request.isHead());
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            log.accept("500 unexpected failure: " + trace);
            return FunctionUrlResponse.of(HttpResponse.error(500, "internal_error",
                    "something went wrong on our side; the log has the details under request id " + requestId), false);
        }
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

    private static void log(Context context, String line) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line + "\n");
        } else {
            System.err.println(line);
        }
    }
}
