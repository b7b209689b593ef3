package dev.pulse.core;

/** How many items of one tag carry each label. */
public record LabelCounts(long positive, long neutral, long negative) {
}
