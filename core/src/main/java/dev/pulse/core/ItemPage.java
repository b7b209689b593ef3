package dev.pulse.core;

import java.util.List;

/** One page of items, newest first; {@code next} is the cursor for the following page, or null. */
public record ItemPage(List<Item> items, String next) {

    public ItemPage {
        items = List.copyOf(items);
    }
}
