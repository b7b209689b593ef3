package dev.pulse.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The answer to {@code GET /health} on both functions (docs/architecture.md#the-dashboard-function): 200 when the table answers, 503 when it
 * does not (including a store that could not even be set up). One place, so the two functions report their
 * health alike. The route is public: the 503 says only that the store is unreachable, and the reason (SDK
 * text that can name the account, the role or the endpoint) goes to the function's log.
 *
 * @param body {@code {"status":"ok"|"unavailable", "table", "version"}} plus {@code error}/{@code message} when unavailable
 */
public record Health(boolean ok, ObjectNode body) {

    /** How long a client should wait before asking an unavailable function again. */
    public static final String RETRY_AFTER_SECONDS = "5";

    /** What the public body says when the store is unreachable, whatever the cause. */
    public static final String UNAVAILABLE_MESSAGE = "the item store cannot be reached; try again shortly";

    /**
     * Pings the store. {@code tableName} is reported when the store cannot be built, so the answer still
     * says which table was meant; {@code log} gets the reason for a 503.
     */
    public static Health check(Supplier<ItemStore> store, String tableName, String version, Consumer<String> log) {
        try {
            ItemStore built = store.get();
            built.ping();
            return new Health(true, Json.object().put("status", "ok").put("table", built.tableName())
                    .put("version", version));
        } catch (StoreUnavailableException e) {
            log.accept("health: 503, table " + tableName + " unavailable: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            return new Health(false, Json.object()
                    .put("status", "unavailable")
                    .put("error", "store_unavailable")
                    .put("message", UNAVAILABLE_MESSAGE)
                    .put("table", tableName)
                    .put("version", version));
        }
    }

    public int status() {
        return ok ? 200 : 503;
    }
}
