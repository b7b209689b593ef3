package dev.pulse.core;

/** One stored, scored mention. {@code id} is server-assigned and doubles as the SSE event id. */
public record Item(String id, String tag, String label, double score, String text, String source, String ts) {
}
