package dev.pulse.e2e.client;

import com.sun.net.httpserver.HttpServer;
import dev.pulse.e2e.Targets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing, recording and auth headers, against two loopback servers standing in for the two URLs. */
class PulseClientTest {

    record Seen(String server, String method, String uri, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer dashboard;
    private HttpServer sse;
    private Targets targets;

    private HttpServer server(String name) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(name, ex.getRequestMethod(), ex.getRequestURI().toString(),
                    Map.copyOf(ex.getRequestHeaders()), body));
            byte[] out = ("{\"server\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        s.start();
        return s;
    }

    @BeforeEach
    void start() throws IOException {
        dashboard = server("dashboard");
        sse = server("sse");
        // Through the resolver's normalisation, as in a real run (Function URLs end with '/').
        targets = Targets.of("http://127.0.0.1:" + dashboard.getAddress().getPort() + "/",
                "http://127.0.0.1:" + sse.getAddress().getPort() + "/", "test", "D", "S");
    }

    @AfterEach
    void stop() {
        dashboard.stop(0);
        sse.stop(0);
    }

    @Test
    void everyPostHasAnIdempotencyKey_itsOwn_orNoneWhenItAsksForNone() {
        PulseClient client = new PulseClient(targets, ClientAuth.NONE);
        client.send(Request.post("/api/v2/items", "{}"));
        client.send(Request.post("/api/v2/items", "{}"));
        client.send(Request.post("/api/v2/items", "{}").withHeader(PulseClient.IDEMPOTENCY_KEY, "mine"));
        client.send(Request.post("/api/v2/items", "{}").withoutIdempotencyKey());
        String first = seen.get(0).header(PulseClient.IDEMPOTENCY_KEY);
        assertTrue(first != null && !first.equals(seen.get(1).header(PulseClient.IDEMPOTENCY_KEY)), "a fresh key each");
        assertEquals("mine", seen.get(2).header(PulseClient.IDEMPOTENCY_KEY));
        assertNull(seen.get(3).header(PulseClient.IDEMPOTENCY_KEY));
    }

    @Test
    void streamPathsGoToTheSseUrlAndEverythingElseToTheDashboard() {
        PulseClient client = new PulseClient(targets, ClientAuth.NONE);
        for (String path : List.of("/health", "/api/v2/stream/status", "/api/v2/streamer", "/api/v2/metrics",
                "/api/v2/stream?tags=A")) {
            assertEquals(200, client.get(path).statusCode());
        }
        assertEquals(List.of("dashboard", "sse", "dashboard", "dashboard", "sse"),
                seen.stream().map(Seen::server).toList());
        assertEquals("/api/v2/stream?tags=A", seen.get(4).uri());
        List<RecordedRequest> recorded = client.requests();
        assertEquals(5, recorded.size());
        for (RecordedRequest r : recorded) {
            assertEquals(Routing.isStreamPath(r.path()) ? FunctionTarget.SSE : FunctionTarget.DASHBOARD, r.base(), r.toString());
            assertTrue(r.routed());
            assertEquals(client.base(r.base()) + r.path(), r.uri().toString());
        }
    }

    @Test
    void aForcedBaseIsSentThereAndRecordedAsNotRouted() {
        PulseClient client = new PulseClient(targets, ClientAuth.NONE);
        client.send(Request.get("/api/v2/stream").to(FunctionTarget.DASHBOARD));
        assertEquals("dashboard", seen.get(0).server());
        RecordedRequest r = client.requests().get(0);
        assertEquals(FunctionTarget.DASHBOARD, r.base());
        assertFalse(r.routed());
    }

    @Test
    void theApiKeyGoesOnWritesOnlyAndCanBeLeftOff() {
        PulseClient client = new PulseClient(targets, new ClientAuth("k-123", false, null));
        client.get("/api/v2/items");
        client.postJson("/api/v2/items", "{\"a\":1}");
        client.send(Request.post("/api/v2/items", "{}").withoutKey());
        client.send(Request.post("/api/v2/items", "{}").withHeader("Authorization", "Bearer wrong"));
        assertNull(seen.get(0).header("Authorization"));
        assertEquals("Bearer k-123", seen.get(1).header("Authorization"));
        assertEquals("{\"a\":1}", seen.get(1).body());
        assertEquals("application/json", seen.get(1).header("Content-Type"));
        assertNull(seen.get(2).header("Authorization"));
        assertEquals("Bearer wrong", seen.get(3).header("Authorization"));
    }

    private static SigV4 fixedSigner() {
        AwsCredentialsIdentity creds = AwsCredentialsIdentity.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        return new SigV4("eu-west-1", () -> creds, Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    @Test
    void awsIamSignsEveryRequestInTheAuthorizationHeader() {
        PulseClient client = new PulseClient(targets, new ClientAuth(null, true, "eu-west-1"), fixedSigner());
        client.get("/api/v2/stream?tags=A");
        client.postJson("/api/v2/items", "{\"x\":1}");
        for (Seen s : seen) {
            String auth = s.header("Authorization");
            assertTrue(auth.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/eu-west-1/lambda/aws4_request,"),
                    auth);
            assertTrue(auth.contains("SignedHeaders=") && auth.contains("host"), auth);
            assertEquals("20260102T030405Z", s.header("X-Amz-Date"));
        }
        assertEquals("/api/v2/stream?tags=A", seen.get(0).uri(), "header signing leaves the URI alone");
    }

    @Test
    void withAnApiKeyTheSignatureMovesToTheQueryString() {
        PulseClient client = new PulseClient(targets, new ClientAuth("k-1", true, "eu-west-1"), fixedSigner());
        client.postJson("/api/v2/items?x=1", "{}");
        Seen s = seen.get(0);
        assertEquals("Bearer k-1", s.header("Authorization"));
        assertTrue(s.uri().startsWith("/api/v2/items?"), s.uri());
        assertTrue(s.uri().contains("X-Amz-Algorithm=AWS4-HMAC-SHA256") && s.uri().contains("X-Amz-Signature="),
                s.uri());
        assertTrue(s.uri().contains("x=1"), s.uri());
        assertEquals("/api/v2/items?x=1", client.requests().get(0).path(), "the record keeps the caller's path");
    }

    @Test
    void authSettingsFromTheEnvironment() {
        ClientAuth a = ClientAuth.fromEnvironment(Map.of("E2E_AUTH", "aws_iam", "AWS_DEFAULT_REGION", "eu-central-1",
                "E2E_API_KEY", "k"));
        assertTrue(a.awsIam());
        assertEquals("eu-central-1", a.region());
        assertEquals("k", a.apiKey());
        assertFalse(a.toString().contains("k,"), "the key is not printed");
        assertEquals(ClientAuth.NONE, ClientAuth.fromEnvironment(Map.of("E2E_API_KEY", " ")));
        assertThrows(IllegalArgumentException.class, () -> ClientAuth.fromEnvironment(Map.of("E2E_AUTH", "aws_iam")));
        assertThrows(IllegalArgumentException.class, () -> ClientAuth.fromEnvironment(Map.of("E2E_AUTH", "iam")));
    }

    @Test
    void pathsMustBeAbsolute() {
        assertThrows(IllegalArgumentException.class, () -> Request.get("health"));
    }
}
