package dev.pulse.core;

/** A validated item as a client submitted it, before the server assigns {@code id} and {@code ts}. */
public record NewItem(String tag, String label, double score, String text, String source) {
}
