package dev.pulse.sse.app;

import dev.pulse.core.Item;
import dev.pulse.core.Metrics;

import java.util.List;

/** What a stream's writer gets from the feed or from its own catch-up: items, counters, or why it must end. */
sealed interface Update permits Update.NewItems, Update.MetricsChanged, Update.Failed {

    /** Items in number order, all of them after the stream's position and of its tags. */
    record NewItems(List<Item> items) implements Update {
    }

    /** The counters, given once every item they count has been given; their id is {@link Metrics#lastId()}. */
    record MetricsChanged(Metrics metrics) implements Update {
    }

    /** The stream cannot go on (a bug or an {@link Error} where the items are read): it ends with the error trailers. */
    record Failed(Throwable error) implements Update {
    }
}
