package dev.rollgate.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonSchemaTest {

    @Test
    void schemaDescribesTheSameFieldsAndDefaultsAsTheParser() throws Exception {
        JsonNode root = new ObjectMapper().readTree(JsonSchema.rolloutSchema());
        assertThat(root.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(root.get("oneOf")).hasSize(2);
        assertThat(root.at("/oneOf/1/properties/kind/enum/0").asText()).isEqualTo("AnalysisTemplate");
        JsonNode schema = root.at("/oneOf/0");
        assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactly("apiVersion", "kind", "metadata", "spec");
        JsonNode spec = schema.at("/properties/spec");
        assertThat(spec.get("additionalProperties").asBoolean()).isFalse();
        assertThat(spec.at("/properties/replicas/default").asInt()).isEqualTo(1);
        assertThat(spec.at("/properties/progressDeadlineSeconds/default").asInt()).isEqualTo(600);
        JsonNode probe = spec.at("/properties/template/properties/readinessProbe");
        assertThat(probe.at("/properties/periodSeconds/minimum").asInt()).isEqualTo(1);
        assertThat(probe.at("/allOf/0/oneOf")).as("exec, httpGet, tcpSocket, grpc").hasSize(4);
        JsonNode surge = spec.at("/properties/strategy/properties/rollingUpdate/properties/maxSurge");
        assertThat(surge.at("/anyOf/1/pattern").asText()).isEqualTo("^[0-9]+%$");
        assertThat(spec.at("/properties/template/properties/command/minItems").asInt()).isEqualTo(1);
        assertThat(spec.at("/properties/template/properties").size()).isEqualTo(TemplateSchema.TEMPLATE.fields().size());
    }

    @Test
    void theCommittedSchemaFileIsCurrent() throws Exception {
        // Editors read rollgate.schema.json from the repository; regenerate it with: ./rollgate schema > rollgate.schema.json
        String committed = java.nio.file.Files.readString(java.nio.file.Path.of("../rollgate.schema.json")).strip();
        assertThat(committed).isEqualTo(JsonSchema.rolloutSchema().strip());
    }
}
