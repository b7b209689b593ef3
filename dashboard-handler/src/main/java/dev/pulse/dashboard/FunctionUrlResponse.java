package dev.pulse.dashboard;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pulse.core.http.HttpResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/** The payload-2.0 response a BUFFERED Function URL expects, made from a whole {@link HttpResponse}. */
final class FunctionUrlResponse {

    private FunctionUrlResponse() {
    }

    /** A HEAD request gets the same status and headers without the body. */
    static APIGatewayV2HTTPResponse of(HttpResponse response, boolean head) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.putIfAbsent("X-Content-Type-Options", "nosniff");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(headers)
                .withBody(head ? "" : response.bodyText())
                .withIsBase64Encoded(false)
                .build();
    }
}
