package dev.pulse.emulators;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamoDbEmulatorTest {

    @Test
    void itAnswersTheDynamoDbApi_andCloseStopsIt() throws Exception {
        URI endpoint;
        DynamoDbEmulator stopped;
        try (DynamoDbEmulator emulator = DynamoDbEmulator.start()) {
            endpoint = emulator.endpoint();
            HttpResponse<String> tables = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, "
                            + "SignedHeaders=host, Signature=0")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, tables.statusCode(), tables.body());
            assertTrue(tables.body().contains("\"TableNames\""), tables.body());
            stopped = emulator;
        }
        assertFalse(stopped.isAlive());
    }

    @Test
    void anInterpreterThatCannotRunNamesPulsePythonAndMoto() {
        UncheckedIOException failure = assertThrows(UncheckedIOException.class,
                () -> DynamoDbEmulator.start(Path.of("/nonexistent/python3").toString(), 0));
        assertTrue(failure.getMessage().startsWith("the DynamoDB emulator could not be started ("), failure.getMessage());
        assertTrue(failure.getMessage().contains("install Python 3 and moto[server]"), failure.getMessage());
        assertTrue(failure.getMessage().contains("set PULSE_PYTHON"), failure.getMessage());
    }

    @Test
    void anInterpreterWithoutMotoSaysHowToCheck() {
        // `false` stands for a python that exits at once, as one without moto does at its import
        UncheckedIOException failure = assertThrows(UncheckedIOException.class, () -> DynamoDbEmulator.start("false", 0));
        assertTrue(failure.getMessage().startsWith("the DynamoDB emulator exited with 1 before it answered on port "),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("is moto installed? `false -c 'import moto'`"), failure.getMessage());
    }
}
