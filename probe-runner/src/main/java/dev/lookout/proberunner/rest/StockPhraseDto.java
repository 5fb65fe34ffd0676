package dev.lookout.proberunner.rest;

import java.util.List;

public record StockPhraseDto(String phrase, int candidateCount, int baselineCount, double candidateShare,
        double baselineShare, List<String> probes) {
}
