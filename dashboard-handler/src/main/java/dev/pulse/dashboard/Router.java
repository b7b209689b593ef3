package dev.pulse.dashboard;

import dev.pulse.core.http.ClientError;
import dev.pulse.core.http.HttpRequest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.core.Health;
import dev.pulse.core.Json;
import dev.pulse.core.StoreUnavailableException;
import dev.pulse.core.http.HttpResponse;
import dev.pulse.core.http.Routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Maps a request to its answer: the misdirected-stream check first (it must answer at once and never
 * touch the store), then path (404), OPTIONS / CORS preflight, method (405 with {@code Allow}), the
 * route itself, and CORS headers on whatever comes out.
 */
final class Router {

    private static final String ITEM_PREFIX = Routes.ITEMS + "/";
    private static final String GET = "GET, HEAD, OPTIONS";
    private static final String GET_POST = "GET, HEAD, POST, OPTIONS";

    /**
     * {@code allow} lists the methods for {@code Allow}; HEAD and OPTIONS are answered for every route. The
     * handler gets the request and the request's notes (what its log line reports).
     */
    private record Route(String allow, BiFunction<HttpRequest, RequestNotes, HttpResponse> handler) {
        boolean accepts(String method) {
            return !method.isEmpty() && Set.of(allow.split(", ")).contains(method);
        }
    }

    private final DashboardConfig config;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Api api;

    Router(Api api, StaticAssets assets, DashboardConfig config) {
        this.api = api;
        this.config = config;
        routes.put(Routes.HEALTH, new Route(GET, (request, notes) -> api.health(notes)));
        routes.put(Routes.METRICS, new Route(GET, (request, notes) -> api.metrics()));
        routes.put(Routes.RUNTIME, new Route(GET, (request, notes) -> api.runtime()));
        routes.put(Routes.ITEMS, new Route(GET_POST, (request, notes) ->
                request.method().equals("POST") ? api.createItem(request, notes) : api.listItems(request)));
        for (String path : assets.paths()) {
            StaticAssets.Asset asset = assets.get(path);
            Map<String, String> headers = pageHeaders(asset);   // fixed by the asset and the settings: built once
            routes.put(path, new Route(GET, (request, notes) -> page(asset, headers, request)));
        }
    }

    HttpResponse route(HttpRequest request, RequestNotes notes) {
        String origin = request.header("Origin");
        String path = request.path();
        if (Routes.isStream(path)) {
            // Its request line (status 421, WARN) and the MisdirectedStreamRequests metric say it; see DashboardHandler.
            return config.cors().decorate(misdirected(path, request.rawQuery()), origin);
        }
        Route route = find(path);
        if (route == null) {
            return config.cors().decorate(
                    HttpResponse.error(404, "not_found", "no route for " + path + "; see GET /api/v2/runtime"), origin);
        }
        if (request.method().equals("OPTIONS")) {
            if (origin != null && request.header("Access-Control-Request-Method") != null) {
                return config.cors().preflight(origin, route.allow());
            }
            return config.cors().decorate(HttpResponse.empty(204).withHeader("Allow", route.allow()), origin);
        }
        String method = request.isHead() ? "GET" : request.method();
        if (!route.accepts(method)) {
            return config.cors().decorate(HttpResponse.error(405, "method_not_allowed",
                    (request.method().isEmpty() ? "a request without a method" : request.method())
                            + " is not allowed on " + path + "; allowed: " + route.allow())
                    .withHeader("Allow", route.allow()), origin);
        }
        HttpResponse response;
        try {
            response = route.handler().apply(request, notes);
        } catch (ClientError e) {
            response = e.response();
        } catch (StoreUnavailableException e) {
            notes.cause("store unavailable: " + e.getMessage());
            response = HttpResponse.error(503, "store_unavailable", Health.UNAVAILABLE_MESSAGE)
                    .withHeader("Retry-After", "2");
        }
        return config.cors().decorate(response, origin);
    }

    private Route find(String path) {
        Route route = routes.get(path);
        if (route == null && path.startsWith(ITEM_PREFIX) && path.indexOf('/', ITEM_PREFIX.length()) < 0) {
            String id = path.substring(ITEM_PREFIX.length());
            route = new Route(GET, (request, notes) -> api.getItem(id));
        }
        return route;
    }

    /** 421 at once, naming where the stream lives, so a misrouted client fails in milliseconds, not at a timeout. */
    private HttpResponse misdirected(String path, String rawQuery) {
        // The query (?tags=, ?lastEventId=) goes along: the client should only have to swap the base URL.
        String base = config.streamUrl(path);
        String streamUrl = base == null || rawQuery.isEmpty() ? base : base + "?" + rawQuery;
        ObjectNode body = Json.error("misdirected_stream_request", config.sseUrl() == null
                ? "event streams are served by the SSE function (RESPONSE_STREAM), not this buffered dashboard "
                        + "function; SSE_URL is not configured here, so ask whoever deployed Pulse for it"
                : "event streams are served by the SSE function (RESPONSE_STREAM), not this buffered dashboard "
                        + "function: connect to " + streamUrl);
        body.put("sse_url", config.sseUrl());
        body.put("stream_url", streamUrl);
        return HttpResponse.json(421, body);
    }

    private Map<String, String> pageHeaders(StaticAssets.Asset asset) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", asset.contentType());
        headers.put("Cache-Control", "no-cache");
        headers.put("ETag", asset.etag());
        if (asset.contentType().startsWith("text/html")) {
            headers.put("Content-Security-Policy", contentSecurityPolicy());
            headers.put("Referrer-Policy", "no-referrer");
        }
        return Map.copyOf(headers);
    }

    private static HttpResponse page(StaticAssets.Asset asset, Map<String, String> headers, HttpRequest request) {
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
            return HttpResponse.empty(304).withHeaders(headers);
        }
        return HttpResponse.text(200, headers, asset.body());
    }

    /** Scripts and styles only from this function; the page may connect here and to the SSE function. */
    private String contentSecurityPolicy() {
        String sse = config.sseOrigin();
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self'" + (sse == null ? "" : " " + sse) + "; "
                + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }
}
