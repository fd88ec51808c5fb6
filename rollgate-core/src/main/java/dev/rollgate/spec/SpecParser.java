package dev.rollgate.spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads Rollout documents from YAML; every problem comes back as one {@link InvalidSpecException}. */
public final class SpecParser {

    /** A spec file larger than this is refused rather than read. */
    static final int MAX_CHARS = 1 << 20;

    private SpecParser() {}

    /**
     * The Rollouts of a file and the ConfigMaps beside them; {@code written}: each Rollout's document and those of the
     * AnalysisTemplates it uses, as written (plain maps), by the Rollout's name, for {@code rollgate export}.
     */
    public record Documents(List<Rollout> rollouts, List<ConfigMap> configMaps, Map<String, List<Object>> written) {}

    public static List<Rollout> parseFile(Path file) throws InvalidSpecException {
        return rollouts(readFile(file));
    }

    /** Every document of {@code file}: Rollouts (with their AnalysisTemplates) and ConfigMaps; a file may hold only ConfigMaps. */
    public static Documents readFile(Path file) throws InvalidSpecException {
        String text;
        try {
            if (Files.size(file) > MAX_CHARS) {
                throw invalid("", 0, file + " is larger than " + MAX_CHARS + " bytes; a spec is a few kilobytes");
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw invalid("", 0, "cannot read " + file + ": no such file");
        } catch (CharacterCodingException e) {
            throw invalid("", 0, "cannot read " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw invalid("", 0, "cannot read " + file + ": " + e.getMessage());
        }
        return read(text);
    }

    public static List<Rollout> parse(String yamlText) throws InvalidSpecException {
        return rollouts(read(yamlText));
    }

    private static List<Rollout> rollouts(Documents documents) throws InvalidSpecException {
        if (documents.rollouts().isEmpty()) {
            throw invalid("", 0, "no Rollout found; a spec starts with apiVersion: " + Rollout.API_VERSION + " and kind: " + Rollout.KIND);
        }
        return documents.rollouts();
    }

    public static Documents read(String yamlText) throws InvalidSpecException {
        if (yamlText.length() > MAX_CHARS) {
            throw invalid("", 0, "the spec is larger than " + MAX_CHARS + " characters; a spec is a few kilobytes");
        }
        List<Node> documents = compose(yamlText);
        List<SpecError> errors = new ArrayList<>();
        List<Rollout> rollouts = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Map<String, AnalysisTemplate> templates = new LinkedHashMap<>();
        List<CheckedObject> rolloutDocs = new ArrayList<>();
        List<Object> rolloutTexts = new ArrayList<>();
        Map<String, Object> templateTexts = new HashMap<>();
        List<ConfigMap> configMaps = new ArrayList<>();
        for (Node document : documents) {
            if (Binder.isNull(document)) continue;
            if (ConfigMap.KIND.equals(kindOf(document))) {
                configMap(document, errors).ifPresent(c -> {
                    if (configMaps.stream().anyMatch(other -> other.name().equals(c.name()))) {
                        errors.add(new SpecError("ConfigMap " + c.name() + ": metadata.name", 0, "duplicate ConfigMap name \"" + c.name() + "\""));
                    } else {
                        configMaps.add(c);
                    }
                });
                continue;
            }
            boolean template = AnalysisTemplate.KIND.equals(kindOf(document));
            List<SpecError> docErrors = new ArrayList<>();
            CheckedObject obj = (CheckedObject) new Binder(docErrors).bind(document, template ? SpecSchema.ANALYSIS_TEMPLATE : SpecSchema.ROLLOUT, "", 0);
            if (!template && (obj == null || !docErrors.isEmpty())) {
                errors.addAll(docErrors);
                continue;
            }
            if (!template) {
                rolloutDocs.add(obj);
                rolloutTexts.add(new Binder(new ArrayList<>()).plain(document));
                continue;
            }
            templateTexts.put(metadataName(document), new Binder(new ArrayList<>()).plain(document));
            // A template's errors say which template: its paths alone (spec.metrics[0]...) would read like the Rollout's.
            String label = AnalysisTemplate.KIND + " " + metadataName(document) + ": ";
            if (obj == null || !docErrors.isEmpty()) {
                docErrors.forEach(e -> errors.add(new SpecError(label + e.path(), e.line(), e.message())));
                continue;
            }
            List<SpecError> templateErrors = new ArrayList<>();
            AnalysisTemplate t = AnalysisTemplateReader.read(obj, templateErrors);
            templateErrors.forEach(e -> errors.add(new SpecError(label + e.path(), e.line(), e.message())));
            if (t == null) {
                templates.putIfAbsent(obj.obj("metadata").string("name"), null); // known but broken: its errors are reported already
            } else if (templates.putIfAbsent(t.name(), t) != null) {
                errors.add(new SpecError("metadata.name", obj.obj("metadata").line("name"),
                        "duplicate AnalysisTemplate name \"" + t.name() + "\""));
            }
        }
        Map<String, List<Object>> written = new HashMap<>();
        for (int i = 0; i < rolloutDocs.size(); i++) {
            CheckedObject obj = rolloutDocs.get(i);
            Rollout rollout = RolloutReader.read(obj, templates, errors);
            if (rollout == null) continue;
            List<Object> texts = new ArrayList<>(List.of(rolloutTexts.get(i)));
            rollout.spec().analysisTemplates().forEach(t -> texts.add(templateTexts.get(t.name())));
            written.putIfAbsent(rollout.name(), texts);
            Integer firstLine = names.putIfAbsent(rollout.name(), obj.obj("metadata").line("name"));
            if (firstLine != null) {
                errors.add(new SpecError("metadata.name", obj.obj("metadata").line("name"),
                        "duplicate name \"" + rollout.name() + "\"; it is already used on line " + firstLine));
                continue;
            }
            rollouts.add(rollout);
        }
        if (!errors.isEmpty()) throw new InvalidSpecException(errors);
        if (rollouts.isEmpty() && configMaps.isEmpty()) {
            throw invalid("", 0, "no Rollout found; a spec starts with apiVersion: " + Rollout.API_VERSION + " and kind: " + Rollout.KIND);
        }
        return new Documents(List.copyOf(rollouts), List.copyOf(configMaps), written);
    }

    /** A ConfigMap document; its errors are named by the ConfigMap, as a template's are. */
    private static Optional<ConfigMap> configMap(Node document, List<SpecError> errors) {
        List<SpecError> docErrors = new ArrayList<>();
        CheckedObject obj = (CheckedObject) new Binder(docErrors).bind(document, SpecSchema.CONFIG_MAP, "", 0);
        String label = ConfigMap.KIND + " " + metadataName(document) + ": ";
        docErrors.forEach(e -> errors.add(new SpecError(label + e.path(), e.line(), e.message())));
        if (obj == null || !docErrors.isEmpty()) return Optional.empty();
        return Optional.of(new ConfigMap(obj.obj("metadata").string("name"), obj.stringMap("data")));
    }

    /** The document's {@code kind}, read before binding so the right shape checks it. */
    private static String kindOf(Node document) {
        return scalar(document, "kind");
    }

    /** {@code metadata.name} as written, for naming a document in its errors ("?" when there is none). */
    private static String metadataName(Node document) {
        String name = scalar(child(document, "metadata"), "name");
        return name == null ? "?" : name;
    }

    private static String scalar(Node mapping, String key) {
        return child(mapping, key) instanceof ScalarNode v ? v.getValue() : null;
    }

    private static Node child(Node mapping, String key) {
        if (!(mapping instanceof MappingNode m)) return null;
        for (var tuple : m.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return tuple.getValueNode();
        }
        return null;
    }

    private static List<Node> compose(String text) throws InvalidSpecException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(MAX_CHARS);
        options.setAllowRecursiveKeys(false);
        try {
            List<Node> documents = new ArrayList<>();
            for (Node node : YamlDocuments.of(text, options)) {
                var tooLarge = AliasExpansion.check(node);
                if (tooLarge.isPresent()) throw invalid("", tooLarge.get().line(), tooLarge.get().message());
                documents.add(node);
            }
            return documents;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String context = e.getContext() == null ? "" : " " + e.getContext();
            throw invalid("", line, "not valid YAML: " + problem + context);
        } catch (RuntimeException e) {
            // SnakeYAML reports limits and odd input with several unchecked types; all of them mean "not a spec".
            throw invalid("", 0, "not valid YAML: " + e.getMessage());
        }
    }

    private static InvalidSpecException invalid(String path, int line, String message) {
        return new InvalidSpecException(List.of(new SpecError(path, line, message)));
    }
}
