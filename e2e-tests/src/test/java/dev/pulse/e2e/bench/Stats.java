package dev.pulse.e2e.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Summary of repeated samples: median, p99 (nearest rank, so with few samples it is the maximum:
 * an honest p99 needs ~100 samples, and {@code n} is printed next to it), min and max.
 */
record Stats(int n, double median, double p99, double min, double max) {

    static final Stats NONE = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            return NONE;
        }
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        int n = s.size();
        double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        return new Stats(n, median, s.get(rank(n, 0.99)), s.getFirst(), s.getLast());
    }

    static Stats single(double value) {
        return of(List.of(value));
    }

    private static int rank(int n, double q) {
        return Math.max(0, (int) Math.ceil(q * n) - 1);
    }
}
