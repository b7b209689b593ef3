package dev.pulse.e2e.bench;

/**
 * One row of the results: Pulse on the local stack next to the loopback baseline measured in the
 * same run.
 *
 * @param id       stable key for the JSON (e.g. {@code ttfe_warm})
 * @param name     what was measured, for people
 * @param unit     unit of every number in the row
 * @param pulse    the local stack's samples
 * @param baseline the minimal JDK HttpServer SSE server's samples, or {@link Stats#NONE} when a
 *                 baseline makes no sense (sizes, RSS)
 * @param target   the figure's goal, in words; empty when there is none
 * @param met      whether the goal was met; null when there is none
 * @param note     how it was measured or why it looks the way it does
 */
record Figure(String id, String name, String unit, Stats pulse, Stats baseline, String target, Boolean met,
              String note) {

    /** Pulse median / baseline median, or NaN without a baseline or when the baseline is not positive (a ratio would mislead). */
    double ratio() {
        return baseline.n() == 0 || !(baseline.median() > 0) ? Double.NaN : pulse.median() / baseline.median();
    }
}
