package dev.pulse.e2e;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetsTest {

    @Test
    void normaliseStripsEveryTrailingSlashAndKeepsAPathPrefix() {
        assertEquals(URI.create("https://x.on.aws"), Targets.normalise("https://x.on.aws/", "U"));
        assertEquals(URI.create("https://x.on.aws"), Targets.normalise("https://x.on.aws///", "U"));
        assertEquals(URI.create("http://127.0.0.1:8080/prefix"), Targets.normalise("http://127.0.0.1:8080/prefix/", "U"));
        assertEquals(URI.create("https://x.on.aws"), Targets.normalise("HTTPS://x.on.aws", "U"));
    }

    @Test
    void normaliseRefusesWhatARequestCannotBeBuiltOn() {
        for (String bad : new String[] {"", "x.on.aws", "ftp://x.on.aws/", "https:///path", "https://x/?a=b",
                "https://x/#f", "http://bad host/"}) {
            TargetException e = assertThrows(TargetException.class, () -> Targets.normalise(bad, "DASHBOARD_URL"),
                    bad);
            assertTrue(e.getMessage().startsWith("DASHBOARD_URL"), e.getMessage());
        }
    }

    @Test
    void fromOutputsJsonReadsTheLocalStackShape() {
        Targets t = Targets.fromOutputsJson(TargetResolverTest.doc("local-stack.json"));
        assertEquals(URI.create("http://127.0.0.1:41234"), t.dashboardUrl());
        assertEquals(URI.create("http://127.0.0.1:41235"), t.sseUrl());
        assertTrue(t.isLoopback());
        assertFalse(t.sseFallsBackToDashboard());
    }

    @Test
    void fromOutputsJsonRejectsWhatIsNotAnOutputsDocument() {
        assertThrows(TargetException.class, () -> Targets.fromOutputsJson("not json"));
        assertThrows(TargetException.class, () -> Targets.fromOutputsJson("[1,2]"));
        TargetException e = assertThrows(TargetException.class,
                () -> Targets.fromOutputsJson("{\"dashboard_function_url\": \"https://x/\"}"));
        assertTrue(e.getMessage().contains("has no \"value\""), e.getMessage());
    }

    @Test
    void aNonStringUrlOutputCountsAsMissing() {
        TargetException e = assertThrows(TargetException.class,
                () -> Targets.fromOutputsJson("{\"dashboard_function_url\": {\"value\": [\"https://x/\"]}}"));
        assertTrue(e.getMessage().contains("dashboard_function_url"), e.getMessage());
    }

    @Test
    void deployedUrlsAreNotLoopback() {
        Targets t = Targets.fromOutputsJson(TargetResolverTest.doc("full-with-sensitive-and-extras.json"));
        assertFalse(t.isLoopback());
    }

    @Test
    void terraformOutputsKeepOtherValuesForTools() {
        TerraformOutputs o = TerraformOutputs.parse(TargetResolverTest.doc("full-with-sensitive-and-extras.json"), "t");
        assertEquals("pulse-preprod-dashboard", o.string("dashboard_function_name").orElseThrow());
        assertEquals("/aws/lambda/pulse-preprod-sse", o.string("sse_log_group").orElseThrow());
        assertEquals(20, o.value("reserved").orElseThrow().get("sse").asInt());
        assertFalse(o.toString().contains("s3cret"));
    }
}
