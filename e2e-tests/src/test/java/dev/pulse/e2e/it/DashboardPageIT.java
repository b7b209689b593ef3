package dev.pulse.e2e.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.e2e.browser.HeadlessBrowser;
import dev.pulse.e2e.client.PulseClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard page as a person sees it, in a real headless Chromium: it is served by the dashboard
 * function, finds the SSE URL through {@code /api/v2/runtime}, opens an {@code EventSource} across origins
 * to the SSE function, shows the connection as live, and shows an item written elsewhere because the stream
 * delivered it. Skipped (one line) where no Chromium or Chrome is installed; {@code make tools} installs one.
 */
@Tag("api")
@Tag("sse")
@Tag("browser")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(E2eExtension.class)
class DashboardPageIT {
    private static final Duration LOAD = Duration.ofSeconds(20);
    private static final Duration ARRIVAL = Duration.ofSeconds(10);

    @Test
    void thePageGoesLiveAndShowsAnItemOnlyTheStreamCouldHaveDelivered(E2eRun run) throws IOException {
        Path chrome = HeadlessBrowser.findExecutable().orElse(null);
        assumeTrue(chrome != null, "no Chromium or Chrome found (CHROME_BIN, or chromium / google-chrome on PATH)");
        PulseClient client = run.client();
        String tag = E2eRun.uniqueTag();
        // Written before the page loads, so it can only come from the page's first /api/v2/items read.
        String seedId = Api.post(client, tag, "written before the page loaded").path("id").asText();

        try (HeadlessBrowser page = HeadlessBrowser.start(chrome)) {
            page.navigate(run.targets().dashboardUrl() + "/");
            page.waitFor(row(seedId), JsonNode::asBoolean, LOAD, "the first items read to show " + seedId);
            page.waitFor("document.getElementById('connection').dataset.state", v -> v.asText().equals("live"),
                    LOAD, "the EventSource to the SSE URL to go live");
            long shownTotal = page.waitFor("Number(document.getElementById('m-total').textContent)",
                    v -> v.isNumber() && v.asLong() >= 1, LOAD, "the metrics to render").asLong();

            JsonNode live = Api.post(client, tag, "written while the page was open");
            String liveId = live.path("id").asText();
            page.waitFor(row(liveId), JsonNode::asBoolean, ARRIVAL, "the stream to deliver " + liveId + " to the page");

            String selector = "#items li[data-id=\"" + liveId + "\"]";
            assertEquals("written while the page was open",
                    page.text("document.querySelector('" + selector + " .text').textContent"));
            assertTrue(page.evaluate("document.querySelector('" + selector + "').classList.contains('fresh')").asBoolean(),
                    "the item is marked as arrived live");
            assertEquals(liveId, page.text("document.querySelector('#items li').dataset.id"),
                    "the newest item is listed first");
            page.waitFor("Number(document.getElementById('m-total').textContent)", v -> v.asLong() > shownTotal,
                    ARRIVAL, "the stream's metrics event to raise the total above " + shownTotal);
            assertEquals("live", page.text("document.getElementById('connection').dataset.state"));
            assertTrue(page.evaluate("(() => { const ids = [...document.querySelectorAll('#items li')].map(li => li.dataset.id);"
                    + " return ids.length > 0 && new Set(ids).size === ids.length; })()").asBoolean(),
                    "no item is shown twice (the list and the stream's replay overlap at the newest listed id)");
            assertTrue(page.pageErrors().isEmpty(), () -> "script errors on the page: " + page.pageErrors());
        }
    }

    private static String row(String id) {
        return "!!document.querySelector('#items li[data-id=\"" + id + "\"]')";
    }
}
