package dev.pulse.local.lambda;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Console lines of an emulator or a stack, kept for assertions and echoed for the test report. */
public final class CapturedLog implements Consumer<String> {
    public final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void accept(String line) {
        lines.add(line);
        System.out.println(line);
    }

    public boolean contains(String... parts) {
        return lines.stream().anyMatch(line -> List.of(parts).stream().allMatch(line::contains));
    }
}
