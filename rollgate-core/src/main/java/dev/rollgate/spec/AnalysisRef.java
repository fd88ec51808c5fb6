package dev.rollgate.spec;

import java.util.List;

/**
 * Where a rollout asks for an analysis: the templates to run together and the arguments they get.
 *
 * @param templates names of {@link AnalysisTemplate} documents
 * @param args      values for the templates' arguments
 */
public record AnalysisRef(List<String> templates, List<AnalysisArg> args) {

    /** A value, or {@code valueFrom} one of the two revisions' template hashes ({@code Stable} or {@code Latest}). */
    public record AnalysisArg(String name, String value, String podTemplateHashValue) {}
}
