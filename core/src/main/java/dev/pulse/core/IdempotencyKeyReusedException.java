package dev.pulse.core;

/** The {@link IdempotencyKey} already stored a different item: a client error, nothing was stored. */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String originalId) {
        super("this Idempotency-Key already stored another item (" + originalId + "); use a new key for a new item");
    }
}
