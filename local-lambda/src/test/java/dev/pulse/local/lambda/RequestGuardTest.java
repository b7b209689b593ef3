package dev.pulse.local.lambda;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which Host and Origin an emulated Function URL takes requests from. */
class RequestGuardTest {

    @Test
    void onlyTheLoopbackAddressAndPortAreThisUrlsHost() {
        RequestGuard guard = new RequestGuard(8080, OriginPolicy.ownOnly());
        assertNull(guard.refusal("127.0.0.1:8080", null));
        assertNull(guard.refusal("localhost:8080", null));
        assertNull(guard.refusal("LOCALHOST:8080 ", null), "host names are case-insensitive");
        for (String host : new String[] {"evil.example:8080", "127.0.0.1", "localhost", "127.0.0.1:8081",
                "127.0.0.2:8080", "0.0.0.0:8080", "[::1]:8080", "", "127.0.0.1:8080.evil.example"}) {
            assertNotNull(guard.refusal(host, null), host);
        }
        assertTrue(guard.refusal(null, null).contains("Host (none)"));
    }

    @Test
    void aBrowserPageMustBeThisUrlsOwnOrOneItsPolicyAllows() {
        Set<String> dashboard = Set.of("http://127.0.0.1:8080", "http://localhost:8080");
        RequestGuard guard = new RequestGuard(8081, new OriginPolicy(dashboard::contains, null));
        assertNull(guard.refusal("127.0.0.1:8081", null), "no Origin: not a page of another site");
        assertNull(guard.refusal("127.0.0.1:8081", "http://127.0.0.1:8080"), "the dashboard's page");
        assertNull(guard.refusal("127.0.0.1:8081", "http://localhost:8080"));
        assertNull(guard.refusal("127.0.0.1:8081", "http://127.0.0.1:8081"), "its own");
        for (String origin : new String[] {"https://evil.example", "null", "http://127.0.0.1:9999", "https://127.0.0.1:8080",
                "http://127.0.0.1:8080.evil.example", "file://"}) {
            assertNotNull(guard.refusal("127.0.0.1:8081", origin), origin);
        }
        assertNull(new RequestGuard(8081, new OriginPolicy(origin -> true, null))
                .refusal("127.0.0.1:8081", "https://any.example"), "a policy that allows any page");
        assertNotNull(new RequestGuard(8081, OriginPolicy.ownOnly()).refusal("127.0.0.1:8081", "http://127.0.0.1:8080"),
                "without other origins, only the URL's own page");
    }

    @Test
    void aRefusedPageIsToldThePolicysHint() {
        assertEquals("Origin 'https://evil.example' is neither this URL's nor one of its CORS origins (set X to allow it)",
                new RequestGuard(8081, new OriginPolicy(origin -> false, "set X to allow it"))
                        .refusal("127.0.0.1:8081", "https://evil.example"));
        assertEquals("Origin 'https://evil.example' is neither this URL's nor one of its CORS origins",
                new RequestGuard(8081, OriginPolicy.ownOnly()).refusal("127.0.0.1:8081", "https://evil.example"));
    }
}
