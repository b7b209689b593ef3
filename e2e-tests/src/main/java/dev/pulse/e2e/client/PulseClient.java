package dev.pulse.e2e.client;

import dev.pulse.e2e.Targets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * HTTP client for a Pulse deployment: two functions behind two Function URLs.
 *
 * <ul>
 *   <li><b>Dashboard function</b>, Function URL invoke mode {@code BUFFERED}, base URL from
 *       {@code DASHBOARD_URL} (alias {@code PREPROD_API_URL}) or output {@code dashboard_function_url}:
 *       {@code /health}, {@code /api/v2/metrics}, {@code /api/v2/items} (GET, POST),
 *       {@code /api/v2/runtime}, the page at {@code /}.</li>
 *   <li><b>SSE function</b>, invoke mode {@code RESPONSE_STREAM}, base URL from {@code SSE_LAMBDA_URL}
 *       or output {@code sse_lambda_function_url}: {@code /api/v2/stream} and everything under
 *       {@code /api/v2/stream/} (e.g. {@code /api/v2/stream/status}).</li>
 * </ul>
 *
 * <p>Routing is one predicate, {@link Routing#isStreamPath}: stream paths go to the SSE URL, all
 * others (including {@code /api/v2/streamer}) to the dashboard URL. Why it matters: a BUFFERED
 * Function URL returns nothing until the function has finished, and a stream never finishes, so a
 * stream request sent to the dashboard function would wait until the timeout instead of receiving
 * events. (The dashboard answers such requests with 421 at once, but the client must not rely on that.)
 *
 * <p>Every request is recorded ({@link #requests()}) with the base it went to, so tests can assert
 * the routing of everything they did. Auth ({@link ClientAuth}): {@code E2E_API_KEY} as
 * {@code Authorization: Bearer} on writes; {@code E2E_AUTH=aws_iam} signs every request with SigV4.
 * Every {@code POST} carries an {@code Idempotency-Key}: a fresh UUID unless the request has one (a
 * caller that retries a write sends the same key again, so the item is stored once) or asks for none
 * ({@link Request#withoutIdempotencyKey()}).
 * Thread-safe.
 */
public final class PulseClient {
    /** Headers java.net.http sets itself and refuses from callers; they are still signed. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect",
            "upgrade");

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Targets targets;
    private final ClientAuth auth;
    private final SigV4 sigV4;
    private final HttpClient http;
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());

    public PulseClient(Targets targets, ClientAuth auth) {
        this(targets, auth, auth.awsIam() ? new SigV4(auth.region()) : null);
    }

    PulseClient(Targets targets, ClientAuth auth, SigV4 sigV4) {
        this.targets = targets;
        this.auth = auth;
        this.sigV4 = sigV4;
        // HTTP/1.1: no h2c upgrade attempt against plain-http local stacks; redirects are bugs here.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public Targets targets() {
        return targets;
    }

    public ClientAuth auth() {
        return auth;
    }

    /** The base URL {@link Routing} picks for this path. */
    public URI baseFor(String path) {
        return base(Routing.route(path));
    }

    public URI base(FunctionTarget base) {
        return base == FunctionTarget.SSE ? targets.sseUrl() : targets.dashboardUrl();
    }

    /** Sends a request and reads the whole (non-streaming) body as UTF-8. */
    public HttpResponse<String> send(Request request) {
        return exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String path) {
        return send(Request.get(path));
    }

    public HttpResponse<String> postJson(String path, String json) {
        return send(Request.post(path, json));
    }

    /**
     * Opens a response whose body is read incrementally (an event stream): returns once the headers
     * have arrived. The caller must close the body stream.
     */
    public HttpResponse<InputStream> open(Request request) {
        return exchange(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A copy of every request sent so far, in order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private <T> HttpResponse<T> exchange(Request request, HttpResponse.BodyHandler<T> handler) {
        FunctionTarget base = request.forced() != null ? request.forced() : Routing.route(request.path());
        URI uri = URI.create(base(base) + request.path());
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        boolean explicitAuthorization = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"));
        boolean bearer = request.isWrite() && request.sendKey() && auth.apiKey() != null && !explicitAuthorization;
        if (bearer) {
            headers.put("Authorization", "Bearer " + auth.apiKey());
        }
        if (request.method().equals("POST") && request.autoIdempotencyKey()
                && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase(IDEMPOTENCY_KEY))) {
            headers.put(IDEMPOTENCY_KEY, UUID.randomUUID().toString());   // a caller that retries passes its own
        }

        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(request.timeout());
        Map<String, List<String>> toSend = new LinkedHashMap<>();
        URI target = uri;
        if (sigV4 != null) {
            // The Bearer key occupies Authorization, so the signature then travels in the query string.
            SigV4.Signed signed = sigV4.sign(request.method(), uri, headers, request.body(),
                    bearer || explicitAuthorization);
            target = signed.uri();
            toSend.putAll(signed.headers());
        } else {
            headers.forEach((k, v) -> toSend.put(k, List.of(v)));
        }
        b.uri(target);
        toSend.forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        b.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));

        requests.add(new RecordedRequest(request.method(), request.path(), base, uri, request.forced() == null));
        try {
            return http.send(b.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + uri, e);
        }
    }
}
