package dev.pulse.e2e.diagnose;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A log group's events through FilterLogEvents (logs:FilterLogEvents, page by page): CloudWatch applies the pattern,
 * and so does this class again, because emulators (moto, LocalStack) return every event for a JSON pattern.
 */
public final class CloudWatchLogSource implements LogSource {

    private final CloudWatchLogsClient logs;

    public CloudWatchLogSource(CloudWatchLogsClient logs) {
        this.logs = logs;
    }

    @Override
    public List<LogEvent> events(String group, Instant from, Instant to, FilterPattern pattern, int limit)
            throws LogsUnreadable {
        List<LogEvent> events = new ArrayList<>();
        String token = null;
        try {
            do {
                String next = token;
                FilterLogEventsResponse page = logs.filterLogEvents(b -> b.logGroupName(group)
                        .startTime(from.toEpochMilli()).endTime(to.toEpochMilli() - 1)
                        .filterPattern(pattern.text()).nextToken(next));
                for (FilteredLogEvent e : page.events()) {
                    if (events.size() < limit && pattern.matches(e.message())) {
                        events.add(new LogEvent(Instant.ofEpochMilli(e.timestamp()), group, e.message().strip()));
                    }
                }
                token = page.nextToken();
            } while (token != null && events.size() < limit);
        } catch (SdkException e) {
            throw new LogsUnreadable(Diagnose.oneLine(e), e);
        }
        events.sort(Comparator.comparing(LogEvent::time));
        return events;
    }
}
