package dev.rollgate.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.spec.Shape.BoolShape;
import dev.rollgate.spec.Shape.DurationShape;
import dev.rollgate.spec.Shape.Field;
import dev.rollgate.spec.Shape.FreeShape;
import dev.rollgate.spec.Shape.IntOrPercentShape;
import dev.rollgate.spec.Shape.IntShape;
import dev.rollgate.spec.Shape.ListShape;
import dev.rollgate.spec.Shape.MapOrListShape;
import dev.rollgate.spec.Shape.MapShape;
import dev.rollgate.spec.Shape.NumberShape;
import dev.rollgate.spec.Shape.ObjectShape;
import dev.rollgate.spec.Shape.OneOf;
import dev.rollgate.spec.Shape.StringShape;
import java.time.Duration;
import java.util.List;

/** Writes the spec's shape as a JSON Schema (draft 2020-12) for YAML editors. */
public final class JsonSchema {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchema() {}

    /** One schema for a spec file: each document is a Rollout or an AnalysisTemplate (their {@code kind} tells which). */
    public static ObjectNode of(ObjectShape... kinds) {
        ObjectNode out = JSON.createObjectNode();
        out.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        out.put("$id", "https://rollgate.dev/schema/rollout-v1alpha1.json");
        out.put("title", "Rollgate spec document");
        ArrayNode oneOf = out.putArray("oneOf");
        for (ObjectShape kind : kinds) oneOf.add(node(kind));
        return out;
    }

    public static String rolloutSchema() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(of(SpecSchema.ROLLOUT, SpecSchema.ANALYSIS_TEMPLATE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the schema is plain data and always serialises", e);
        }
    }

    /**
     * JSON Schema 2020-12 for editors, or the OpenAPI v3 structural schema a Kubernetes CRD takes
     * (ints-or-percents and durations as {@code x-kubernetes-int-or-string}, free-form objects kept
     * with {@code x-kubernetes-preserve-unknown-fields}, one-of rules left to the parser).
     */
    enum Dialect { JSON_SCHEMA, KUBERNETES }

    private static ObjectNode node(Shape shape) {
        return node(shape, Dialect.JSON_SCHEMA);
    }

    static ObjectNode node(Shape shape, Dialect dialect) {
        boolean k8s = dialect == Dialect.KUBERNETES;
        ObjectNode n = JSON.createObjectNode();
        if (!k8s || (shape.description() != null && !shape.description().isEmpty())) n.put("description", shape.description());
        switch (shape) {
            case ObjectShape s -> {
                n.put("type", "object");
                if (!k8s) n.put("additionalProperties", false);
                ObjectNode props = n.putObject("properties");
                ArrayNode required = JSON.createArrayNode();
                for (Field f : s.fields()) {
                    ObjectNode p = node(f.shape(), dialect);
                    if (f.defaultValue() != null) putDefault(p, f.defaultValue());
                    props.set(f.name(), p);
                    if (f.required()) required.add(f.name());
                }
                if (!required.isEmpty()) n.set("required", required);
                ArrayNode allOf = JSON.createArrayNode();
                for (OneOf group : k8s ? List.<OneOf>of() : s.oneOf()) {
                    // oneOf over "has field X" matches exactly one field; "has none" is one more choice when optional.
                    ArrayNode choices = allOf.addObject().putArray("oneOf");
                    group.fields().forEach(name -> choices.addObject().putArray("required").add(name));
                    if (!group.required()) {
                        ArrayNode anyOf = choices.addObject().putObject("not").putArray("anyOf");
                        group.fields().forEach(name -> anyOf.addObject().putArray("required").add(name));
                    }
                }
                if (!allOf.isEmpty()) n.set("allOf", allOf);
            }
            case ListShape s -> {
                n.put("type", "array");
                n.set("items", node(s.items(), dialect));
                if (s.minItems() > 0) n.put("minItems", s.minItems());
            }
            case MapShape s -> {
                n.put("type", "object");
                n.set("additionalProperties", node(s.values(), dialect));
            }
            case MapOrListShape s when k8s -> n.put("x-kubernetes-preserve-unknown-fields", true);
            case MapOrListShape s -> {
                ArrayNode oneOf = n.putArray("oneOf");
                oneOf.add(node(s.map(), dialect));
                oneOf.add(node(s.list(), dialect));
            }
            case IntShape s -> {
                n.put("type", "integer");
                n.put("minimum", s.min());
                if (s.max() != Integer.MAX_VALUE) n.put("maximum", s.max());
            }
            case BoolShape s -> n.put("type", "boolean");
            case NumberShape s -> n.put("type", "number").put("minimum", s.min()).put("maximum", s.max());
            case StringShape s -> {
                n.put("type", "string");
                if (s.nonEmpty()) n.put("minLength", 1);
                if (s.pattern() != null) n.put("pattern", "^" + s.pattern() + "$");
                if (!s.enumValues().isEmpty()) s.enumValues().forEach(n.putArray("enum")::add);
            }
            case IntOrPercentShape s when k8s -> n.put("x-kubernetes-int-or-string", true);
            case DurationShape s when k8s -> n.put("x-kubernetes-int-or-string", true);
            case FreeShape s when k8s -> n.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
            case IntOrPercentShape s -> {
                ArrayNode anyOf = n.putArray("anyOf");
                anyOf.addObject().put("type", "integer").put("minimum", 0);
                anyOf.addObject().put("type", "string").put("pattern", "^[0-9]+%$");
            }
            case FreeShape s -> n.put("type", "object");
            case DurationShape s -> {
                ArrayNode anyOf = n.putArray("anyOf");
                anyOf.addObject().put("type", "integer").put("minimum", 0);
                anyOf.addObject().put("type", "string").put("pattern", "^([0-9]+(ms|s|m|h))+$");
            }
        }
        return n;
    }

    static void putDefault(ObjectNode p, Object value) {
        switch (value) {
            case Integer i -> p.put("default", i);
            case Boolean b -> p.put("default", b);
            case Double d -> p.put("default", d);
            case IntOrPercent iop -> {
                if (iop.percent()) p.put("default", iop.toString());
                else p.put("default", iop.value());
            }
            case Duration d -> p.put("default", Durations.format(d));
            default -> p.put("default", value.toString());
        }
    }
}
