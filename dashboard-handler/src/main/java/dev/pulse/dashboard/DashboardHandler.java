package dev.pulse.dashboard;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pulse.core.ItemStore;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The dashboard function behind a BUFFERED Function URL (payload format 2.0): the JSON API, writes and
 * the dashboard page (DESIGN §3). Handler string: {@code dev.pulse.dashboard.DashboardHandler::handleRequest}.
 *
 * <p>Every request gets a JSON answer: client mistakes are 4xx with an error code, store trouble is 503,
 * and anything unexpected is a generic 500 whose details go to the log under the request id.
 */
public final class DashboardHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

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
                return Response.error(400, "bad_request", "the invocation carried no HTTP event").toEvent(false);
            }
            HttpRequest request = HttpRequest.from(event);
            return router.route(request, log).toEvent(request.isHead());
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            log.accept("500 unexpected failure: " + trace);
            return Response.error(500, "internal_error",
                    "something went wrong on our side; the log has the details under request id " + requestId)
                    .toEvent(false);
        }
    }

    private static void log(Context context, String line) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line + "\n");
        } else {
            System.err.println(line);
        }
    }
}
