package dev.pulse.dashboard;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.core.Json;
import dev.pulse.lambda.http.FunctionUrlEvent;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A handler's response with the lookups tests need; {@link #call} is the one way tests invoke the handler. */
record Reply(APIGatewayV2HTTPResponse response, TestContext context) {

    /** Turns payload-2.0 JSON into the event object exactly as the managed Java runtime does. */
    static final PojoSerializer<APIGatewayV2HTTPEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, Reply.class.getClassLoader());

    static Reply call(DashboardHandler handler, FunctionUrlEvent request) {
        return call(handler, request, new TestContext());
    }

    static Reply call(DashboardHandler handler, FunctionUrlEvent request, TestContext context) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(SERIALIZER.fromJson(request.toJson()), context);
        assertNotNull(response, "the handler must always answer");
        return new Reply(response, context);
    }

    int status() {
        return response.getStatusCode();
    }

    String header(String name) {
        Map<String, String> headers = response.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    String body() {
        return response.getBody();
    }

    /** The body as JSON, after checking it is declared as JSON and is not base64. */
    JsonNode json() {
        assertEquals("application/json", header("Content-Type"), "JSON answers say application/json");
        assertFalse(response.getIsBase64Encoded());
        try {
            return Json.parse(body());
        } catch (Exception e) {
            throw new AssertionError("body is not JSON: " + body(), e);
        }
    }

    /** Asserts the status and, for errors, the {@code error} code and a non-empty {@code message}. */
    JsonNode assertError(int status, String code) {
        assertEquals(status, status(), () -> "status of " + body());
        JsonNode body = json();
        assertEquals(code, body.path("error").asText(), () -> "error code in " + body);
        assertFalse(body.path("message").asText().isBlank(), () -> "an error needs a message: " + body);
        return body;
    }
}
