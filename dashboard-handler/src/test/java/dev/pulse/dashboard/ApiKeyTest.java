package dev.pulse.dashboard;

import dev.pulse.lambda.http.FunctionUrlEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code PULSE_API_KEY_SHA256}: digest comparison, two-digest rotation, and every broken setting failing closed. */
class ApiKeyTest {

    private static final String OLD = "old-key-0123";
    private static final String NEW = "new-key-4567";

    private static ApiKey digests(String setting) {
        return ApiKey.fromEnvironment(setting, null);
    }

    @Test
    void theDigestIsLowerCaseHexSha256OfTheUtf8Key() {
        // FIPS 180-2's test vector for "abc", and what `printf %s abc | sha256sum` and Terraform's sha256() give.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKey.sha256Hex("abc"));
        assertEquals(ApiKey.sha256Hex("caf\u00e9"), ApiKey.sha256Hex(new String("caf\u00e9")));
    }

    @Test
    void oneDigestAcceptsItsKeyAndNothingElse() {
        ApiKey key = digests(ApiKey.sha256Hex(NEW));
        assertTrue(key.required());
        assertNull(key.problem());
        assertTrue(key.accepts("Bearer " + NEW));
        assertTrue(key.accepts("bearer " + NEW), "the scheme is case-insensitive");
        assertTrue(key.accepts("BEARER   " + NEW + " "), "spaces around the key are not part of it");
        assertFalse(key.accepts("Bearer " + OLD));
        assertFalse(key.accepts("Bearer " + NEW.toUpperCase()), "the key itself is case-sensitive");
        assertFalse(key.accepts("Bearer " + NEW + "x"));
        assertFalse(key.accepts("Bearer " + ApiKey.sha256Hex(NEW)), "the digest is not the key");
        assertFalse(key.accepts("Basic " + NEW));
        assertFalse(key.accepts(NEW));
        assertFalse(key.accepts("Bearer "));
        assertFalse(key.accepts(""));
        assertFalse(key.accepts(null));
    }

    @Test
    void duringARotationBothKeysAreAcceptedAndNoThird() {
        ApiKey key = digests(ApiKey.sha256Hex(NEW) + "," + ApiKey.sha256Hex(OLD));
        assertTrue(key.accepts("Bearer " + NEW));
        assertTrue(key.accepts("Bearer " + OLD));
        assertFalse(key.accepts("Bearer other-key"));
        assertFalse(key.accepts(null));
        // the order does not matter, nor case or spaces around the comma
        ApiKey swapped = digests(" " + ApiKey.sha256Hex(OLD).toUpperCase() + " , " + ApiKey.sha256Hex(NEW));
        assertTrue(swapped.accepts("Bearer " + NEW) && swapped.accepts("Bearer " + OLD));
        // once the old digest is gone, the old key is refused
        ApiKey after = digests(ApiKey.sha256Hex(NEW));
        assertFalse(after.accepts("Bearer " + OLD));
    }

    @Test
    void noSettingMeansOpenWrites() {
        for (ApiKey open : new ApiKey[] {digests(null), digests(""), digests("  ")}) {
            assertFalse(open.required());
            assertNull(open.problem());
            assertTrue(open.accepts(null));
            assertTrue(open.accepts("Bearer anything"));
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "not-hex",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",     // 63 characters
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015add",   // 65
            "za7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",    // a non-hex character
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,",   // an empty second one
            ",ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    })
    void aMalformedSettingRefusesEveryWrite(String setting) {
        ApiKey key = digests(setting);
        assertTrue(key.required(), "a broken setting must never mean open writes");
        assertFalse(key.accepts(null));
        assertFalse(key.accepts("Bearer abc"));
        assertTrue(key.problem().contains("PULSE_API_KEY_SHA256"), key.problem());
    }

    @Test
    void threeDigestsAreRefused() {
        String d = ApiKey.sha256Hex("abc");
        ApiKey key = digests(String.join(",", d, ApiKey.sha256Hex(NEW), ApiKey.sha256Hex(OLD)));
        assertTrue(key.required());
        assertFalse(key.accepts("Bearer abc"));
        assertFalse(key.accepts("Bearer " + NEW));
        assertTrue(key.problem().contains("at most 2"), key.problem());
    }

    @Test
    void aPlaintextKeyInTheEnvironmentIsRefusedNotUsed() {
        ApiKey key = ApiKey.fromEnvironment(null, "plain-key");
        assertTrue(key.required());
        assertFalse(key.accepts("Bearer plain-key"));
        assertTrue(key.problem().contains("PULSE_API_KEY_SHA256"), key.problem());
        // even beside a valid digest: the plaintext must not sit in a function's configuration
        ApiKey both = ApiKey.fromEnvironment(ApiKey.sha256Hex("plain-key"), "plain-key");
        assertFalse(both.accepts("Bearer plain-key"));
    }

    @Test
    void theRuntimeRouteSaysWritesNeedAKeyWhenTheSettingIsBroken() {
        DashboardHandler broken = new DashboardHandler(new UntouchableStore(),
                DashboardConfig.fromEnvironment(Map.of("PULSE_API_KEY_SHA256", "nonsense")));
        assertTrue(Reply.call(broken, FunctionUrlEvent.get("/api/v2/runtime")).json().path("writes_require_key").asBoolean());
        Reply refused = Reply.call(broken, FunctionUrlEvent.post("/api/v2/items",
                "{\"tag\":\"A\",\"label\":\"neutral\",\"score\":0.5,\"text\":\"t\"}").header("authorization", "Bearer nonsense"));
        assertEquals(401, refused.status(), refused::body);
    }
}
