package dev.pulse.e2e.bench;

import dev.pulse.e2e.local.LocalPulseProcess;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run of the bench, as each phase sees it: what its stacks start from, the run's settings, and where its results
 * go (the report's figures, notes and context, which {@link BenchMain} writes after the last phase).
 *
 * @param base     the options every stack of the run starts from (a phase adds its own environment)
 * @param writers  {@code BENCH_WRITERS}: how many concurrent writers the write figures use
 * @param runId    a number unique to the run, for tags
 * @param progress a progress line for the console
 * @param figures  the report's figures
 * @param notes    the report's notes
 * @param context  the report's context lines (the phases' stacks and settings)
 */
record Bench(LocalPulseProcess.Options base, int writers, long runId, Consumer<String> progress, List<Figure> figures,
             List<String> notes, Map<String, String> context) {
}
