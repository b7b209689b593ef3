package dev.pulse.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The write key ({@code PULSE_API_KEY}; empty or absent = writes are open). Keys are compared as
 * SHA-256 digests with {@link MessageDigest#isEqual}: constant time, and the digest's fixed length
 * hides the key's length too.
 */
final class ApiKey {

    private static final String BEARER = "bearer ";
    private final byte[] expectedDigest;   // null: no key configured

    private ApiKey(byte[] expectedDigest) {
        this.expectedDigest = expectedDigest;
    }

    static ApiKey of(String key) {
        return new ApiKey(key == null || key.isEmpty() ? null : sha256(key));
    }

    boolean required() {
        return expectedDigest != null;
    }

    /** True when writes are open or {@code authorization} is {@code Bearer <the key>}. */
    boolean accepts(String authorization) {
        if (expectedDigest == null) {
            return true;
        }
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return false;
        }
        String presented = authorization.substring(BEARER.length()).strip();
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
