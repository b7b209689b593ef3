package dev.pulse.core;

import java.util.List;

/** The three sentiment labels, in the order metrics list them. */
public final class Labels {

    public static final List<String> ALL = List.of("positive", "neutral", "negative");

    private Labels() {
    }

    public static boolean isValid(String label) {
        return label != null && ALL.contains(label);
    }
}
