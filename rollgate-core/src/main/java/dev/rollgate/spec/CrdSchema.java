package dev.rollgate.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The same shape declaration as {@link JsonSchema}, as the OpenAPI v3 structural schema a
 * Kubernetes CustomResourceDefinition takes. The API server checks types, ranges, patterns and
 * required fields; the one-of rules are left to the controller's parser, which names the field.
 */
public final class CrdSchema {

    private CrdSchema() {}

    /** The schema of a Rollout's {@code spec}. */
    public static ObjectNode rolloutSpec() {
        return JsonSchema.node(SpecSchema.SPEC, JsonSchema.Dialect.KUBERNETES);
    }

    /** The schema of an AnalysisTemplate's {@code spec}. */
    public static ObjectNode analysisTemplateSpec() {
        return JsonSchema.node(AnalysisSchema.TEMPLATE_SPEC, JsonSchema.Dialect.KUBERNETES);
    }
}
