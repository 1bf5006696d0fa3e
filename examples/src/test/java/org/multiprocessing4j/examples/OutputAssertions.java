package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks on the output of programs whose processes print concurrently. */
final class OutputAssertions {
    private OutputAssertions() {
    }

    /**
     * Fails unless {@code actual} is an interleaving of {@code sequences}: every line of every
     * sequence appears exactly once, each sequence's lines keep their order, and nothing else
     * appears. That is exactly the set of outputs of processes that print the given sequences
     * concurrently, each line whole.
     */
    static void assertInterleaving(List<String> actual, List<List<String>> sequences, ExampleRunner.Result result) {
        if (!isInterleaving(actual, 0, sequences, new int[sequences.size()])) {
            fail("expected an interleaving of " + sequences + " (each line once, each sequence in order),"
                    + " got " + actual + "\n" + result.describe());
        }
    }

    /** Fails unless {@code actual} holds exactly the lines {@code expected}, in any order. */
    static void assertSameLinesAnyOrder(List<String> actual, List<String> expected, ExampleRunner.Result result) {
        List<List<String>> singles = new ArrayList<>();
        for (String line : expected) {
            singles.add(List.of(line));
        }
        assertInterleaving(actual, singles, result);
    }

    /** The number captured by {@code pattern}'s group 1 in the one line matching it. */
    static long numberIn(List<String> lines, Pattern pattern, ExampleRunner.Result result) {
        Long found = null;
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                if (found != null) {
                    fail("more than one line matches " + pattern + "\n" + result.describe());
                }
                found = Long.parseLong(m.group(1));
            }
        }
        if (found == null) {
            fail("no line matches " + pattern + "\n" + result.describe());
        }
        return found;
    }

    private static boolean isInterleaving(List<String> actual, int next, List<List<String>> sequences, int[] pos) {
        if (next == actual.size()) {
            for (int k = 0; k < sequences.size(); k++) {
                if (pos[k] != sequences.get(k).size()) {
                    return false;
                }
            }
            return true;
        }
        String line = actual.get(next);
        List<List<String>> tried = new ArrayList<>();
        for (int k = 0; k < sequences.size(); k++) {
            List<String> seq = sequences.get(k);
            if (pos[k] < seq.size() && seq.get(pos[k]).equals(line)) {
                List<String> rest = seq.subList(pos[k], seq.size());
                if (tried.contains(rest)) {
                    continue; // an identical remainder failed already
                }
                tried.add(rest);
                pos[k]++;
                if (isInterleaving(actual, next + 1, sequences, pos)) {
                    return true;
                }
                pos[k]--;
            }
        }
        return false;
    }

    /** {@code n} copies of {@code line}. */
    static List<String> times(int n, String line) {
        return Collections.nCopies(n, line);
    }
}
