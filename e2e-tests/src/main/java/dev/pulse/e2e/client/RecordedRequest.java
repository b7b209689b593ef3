package dev.pulse.e2e.client;

import java.net.URI;

/**
 * One request the client sent, as the routing tests see it.
 *
 * @param method HTTP method
 * @param path   path and query as given by the caller, e.g. {@code /api/v2/stream?tags=A}
 * @param base   which base URL it went to
 * @param uri    the full URI (without signing query parameters)
 * @param routed true when {@link Routing} chose the base; false when a test forced it with
 *               {@link Request#to(FunctionTarget)} (the misrouting tests)
 */
public record RecordedRequest(String method, String path, FunctionTarget base, URI uri, boolean routed) {
}
