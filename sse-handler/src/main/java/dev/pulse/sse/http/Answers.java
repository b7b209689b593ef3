package dev.pulse.sse.http;

import dev.pulse.core.http.HttpResponse;
import dev.pulse.lambda.http.HttpPrelude;
import dev.pulse.lambda.http.HttpResponses;
import dev.pulse.lambda.runtime.Response;

/** A whole answer (status, health, an error) goes out through the streaming protocol too: the prelude, then one chunk. */
public final class Answers {

    private Answers() {
    }

    public static Response of(HttpResponse response) {
        return HttpResponses.whole(HttpPrelude.of(response.status(), response.headers()), response.body());
    }
}
