package dev.pulse.core;

/**
 * A client's {@code Idempotency-Key}: 1-64 visible ASCII characters. Two writes with the same key and the
 * same item within {@link #RETENTION_HOURS} hours store one item.
 */
public record IdempotencyKey(String value) {

    public static final int MAX_LENGTH = 64;
    public static final int RETENTION_HOURS = 24;

    public IdempotencyKey {
        if (!isValid(value)) {
            throw new IllegalArgumentException("an Idempotency-Key is 1-" + MAX_LENGTH + " visible ASCII characters");
        }
    }

    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
