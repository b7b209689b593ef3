package dev.pulse.core;

/**
 * The outcome of a write: the stored item, and whether it was stored by an earlier write with the same
 * {@link IdempotencyKey} (then nothing new was stored).
 */
public record Ingest(Item item, boolean replayed) {
}
