package dev.pulse.dashboard;

import dev.pulse.core.Sha256;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The write key, known only by its SHA-256 digest: {@code PULSE_API_KEY_SHA256} holds one digest, or two
 * (comma-separated) while a key is being rotated; empty or absent = writes are open. The function never
 * sees the key itself, so neither its configuration nor Terraform state can leak it.
 *
 * <p>A presented key is hashed and compared with every configured digest by {@link MessageDigest#isEqual}
 * (constant time), all of them every time, so the timing says neither how much matched nor which one.
 *
 * <p>A setting that cannot be read (a malformed digest, more than two, or the plaintext
 * {@code PULSE_API_KEY} this function no longer reads) fails closed: every write is refused, and
 * {@link #problem()} says why for the log.
 */
final class ApiKey {

    static final String DIGESTS_VARIABLE = "PULSE_API_KEY_SHA256";
    static final String PLAINTEXT_VARIABLE = "PULSE_API_KEY";
    static final int MAX_DIGESTS = 2;
    private static final String BEARER = "bearer ";
    private static final HexFormat HEX = HexFormat.of();

    private final List<byte[]> digests;   // empty: writes open (unless problem != null)
    private final String problem;         // non-null: misconfigured, every write refused

    private ApiKey(List<byte[]> digests, String problem) {
        this.digests = List.copyOf(digests);
        this.problem = problem;
    }

    /** Reads {@code PULSE_API_KEY_SHA256} (and refuses a plaintext {@code PULSE_API_KEY}). */
    static ApiKey fromEnvironment(String digestsSetting, String plaintextSetting) {
        if (plaintextSetting != null && !plaintextSetting.isBlank()) {
            return new ApiKey(List.of(), PLAINTEXT_VARIABLE + " is set, but this function reads only "
                    + DIGESTS_VARIABLE + " (the key's SHA-256 digest, in hex): writes are refused until it is"
                    + " replaced by its digest");
        }
        if (digestsSetting == null || digestsSetting.isBlank()) {
            return new ApiKey(List.of(), null);
        }
        List<byte[]> digests = new ArrayList<>();
        for (String part : digestsSetting.split(",", -1)) {
            String hex = part.strip().toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                return new ApiKey(List.of(), DIGESTS_VARIABLE + " must be one or two SHA-256 digests (64 hex"
                        + " characters each, comma-separated); one is not: writes are refused");
            }
            digests.add(HEX.parseHex(hex));
        }
        if (digests.size() > MAX_DIGESTS) {
            return new ApiKey(List.of(), DIGESTS_VARIABLE + " holds " + digests.size() + " digests; at most "
                    + MAX_DIGESTS + " (the new and the old key during a rotation): writes are refused");
        }
        return new ApiKey(digests, null);
    }

    /** The lower-case hex SHA-256 digest of {@code key} (UTF-8), as {@code PULSE_API_KEY_SHA256} holds it. */
    static String sha256Hex(String key) {
        return Sha256.hex(key);
    }

    /** True when writes need a key (or are refused outright because the setting is broken). */
    boolean required() {
        return problem != null || !digests.isEmpty();
    }

    /** Why writes are refused whatever the key, or null when the setting is fine. */
    String problem() {
        return problem;
    }

    /** True when writes are open or {@code authorization} is {@code Bearer <a configured key>}. */
    boolean accepts(String authorization) {
        if (problem != null) {
            return false;
        }
        if (digests.isEmpty()) {
            return true;
        }
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return false;
        }
        byte[] presented = Sha256.of(authorization.substring(BEARER.length()).strip());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented);   // no early exit: every digest, every time
        }
        return match;
    }
}
