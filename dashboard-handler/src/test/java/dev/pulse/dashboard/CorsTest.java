package dev.pulse.dashboard;

import dev.pulse.lambda.http.FunctionUrlEvent;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** CORS for configured origins: echo the allowed Origin, Vary: Origin, preflights answered without the store. */
class CorsTest {

    private static DashboardHandler handler(String origins) {
        return new DashboardHandler(new UntouchableStore(), DashboardConfig.fromEnvironment(
                Map.of("PULSE_CORS_ALLOWED_ORIGINS", origins, "PULSE_API_KEY_SHA256", ApiKey.sha256Hex("k"), "SSE_URL", "https://sse.example/")));
    }

    @Test
    void anAllowedOriginIsEchoed() {
        Reply reply = Reply.call(handler("https://a.example, https://b.example"),
                FunctionUrlEvent.get("/api/v2/runtime").header("origin", "https://b.example"));
        assertEquals(200, reply.status());
        assertEquals("https://b.example", reply.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", reply.header("Vary"));
        assertEquals("Location, WWW-Authenticate", reply.header("Access-Control-Expose-Headers"));
    }

    @Test
    void anotherOriginGetsNoAllowOriginButStillVary() {
        Reply reply = Reply.call(handler("https://a.example"),
                FunctionUrlEvent.get("/api/v2/runtime").header("origin", "https://evil.example"));
        assertEquals(200, reply.status());
        assertNull(reply.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", reply.header("Vary"));
    }

    @Test
    void starAllowsAnyOriginAndStillEchoesIt() {
        Reply reply = Reply.call(handler("*"), FunctionUrlEvent.get("/api/v2/runtime").header("origin", "http://localhost:5173"));
        assertEquals("http://localhost:5173", reply.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", reply.header("Vary"));
    }

    @Test
    void originsCompareWithoutCaseOrTrailingSlash() {
        Reply reply = Reply.call(handler("https://App.Example/"),
                FunctionUrlEvent.get("/api/v2/runtime").header("origin", "https://app.example"));
        assertEquals("https://app.example", reply.header("Access-Control-Allow-Origin"));
    }

    @Test
    void withoutConfigurationThereAreNoCorsHeaders() {
        Reply reply = Reply.call(new DashboardHandler(new UntouchableStore(), DashboardConfig.fromEnvironment(Map.of())),
                FunctionUrlEvent.get("/api/v2/runtime").header("origin", "https://a.example"));
        assertNull(reply.header("Access-Control-Allow-Origin"));
        assertNull(reply.header("Vary"));
    }

    @Test
    void preflightForAWrite() {
        Reply reply = Reply.call(handler("https://a.example"), FunctionUrlEvent.request("OPTIONS", "/api/v2/items")
                .header("origin", "https://a.example")
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "authorization,content-type"));
        assertEquals(204, reply.status());
        assertEquals("", reply.body());
        assertEquals("https://a.example", reply.header("Access-Control-Allow-Origin"));
        assertEquals("GET, HEAD, POST, OPTIONS", reply.header("Access-Control-Allow-Methods"));
        assertEquals("Authorization, Content-Type, Idempotency-Key", reply.header("Access-Control-Allow-Headers"));
        assertEquals("600", reply.header("Access-Control-Max-Age"));
        assertEquals("Origin", reply.header("Vary"));
    }

    @Test
    void preflightFromAnUnlistedOriginIs403() {
        Reply reply = Reply.call(handler("https://a.example"), FunctionUrlEvent.request("OPTIONS", "/api/v2/items")
                .header("origin", "https://evil.example")
                .header("access-control-request-method", "POST"));
        reply.assertError(403, "cors_origin_not_allowed");
        assertNull(reply.header("Access-Control-Allow-Origin"));
    }

    @Test
    void preflightForAnUnknownPathIs404() {
        Reply.call(handler("*"), FunctionUrlEvent.request("OPTIONS", "/nope")
                        .header("origin", "https://a.example").header("access-control-request-method", "GET"))
                .assertError(404, "not_found");
    }

    @Test
    void errorsCarryCorsHeadersSoTheBrowserCanReadThem() {
        DashboardHandler handler = handler("https://a.example");
        for (FunctionUrlEvent request : new FunctionUrlEvent[]{
                FunctionUrlEvent.post("/api/v2/items", "{}"),                       // 401
                FunctionUrlEvent.request("DELETE", "/api/v2/items"),                 // 405
                FunctionUrlEvent.get("/nope"),                                       // 404
                FunctionUrlEvent.get("/api/v2/items?limit=0")}) {                    // 400
            Reply reply = Reply.call(handler, request.header("origin", "https://a.example"));
            assertEquals("https://a.example", reply.header("Access-Control-Allow-Origin"), reply::body);
        }
    }
}
