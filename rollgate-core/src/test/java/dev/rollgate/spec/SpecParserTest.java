package dev.rollgate.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecParserTest {

    static final String HEAD = """
            apiVersion: rollgate.dev/v1alpha1
            kind: Rollout
            metadata: {name: web}
            spec:
            """;

    static List<SpecError> errors(String yaml) {
        try {
            SpecParser.parse(yaml);
        } catch (InvalidSpecException e) {
            return e.errors();
        }
        throw new AssertionError("expected the spec to be rejected:\n" + yaml);
    }

    @Test
    void designExampleParsesWithEveryField() throws Exception {
        Rollout r = SpecParser.parseFile(Path.of("../examples/specs/web.yaml")).getFirst();
        RolloutSpec s = r.spec();
        assertThat(r.name()).isEqualTo("web");
        assertThat(s.replicas()).isEqualTo(4);
        assertThat(s.minReadySeconds()).isEqualTo(2);
        assertThat(s.progressDeadlineSeconds()).isEqualTo(120);
        assertThat(s.progressDeadlineAbort()).isTrue();
        assertThat(s.service().port()).isEqualTo(8080);
        Template t = s.template();
        assertThat(t.version()).isEqualTo("v2");
        assertThat(t.command()).containsExactly("java", "-jar", "demo.jar");
        assertThat(t.env()).containsEntry("GREETING", "hello");
        assertThat(t.startupProbe().handler()).isEqualTo(new Handler.HttpGet("/health/started", null, "127.0.0.1", "HTTP", List.of()));
        assertThat(t.startupProbe().failureThreshold()).isEqualTo(30);
        assertThat(t.readinessProbe().successThreshold()).isEqualTo(2);
        assertThat(t.livenessProbe().periodSeconds()).isEqualTo(5);
        assertThat(t.livenessProbe().timeoutSeconds()).isEqualTo(1);
        assertThat(t.preStop()).isEqualTo(new Handler.Sleep(2));
        assertThat(s.strategy()).isEqualTo(new Strategy.RollingUpdate(IntOrPercent.percent(25), IntOrPercent.of(0)));
    }

    @Test
    void kubernetesDefaultsApplyToWhatIsLeftOut() throws Exception {
        Rollout r = SpecParser.parse(HEAD + """
                  template:
                    command: [./server]
                    readinessProbe: {tcpSocket: {}}
                """).getFirst();
        RolloutSpec s = r.spec();
        assertThat(s.replicas()).isEqualTo(1);
        assertThat(s.minReadySeconds()).isZero();
        assertThat(s.progressDeadlineSeconds()).isEqualTo(600);
        assertThat(s.revisionHistoryLimit()).isEqualTo(10);
        assertThat(s.progressDeadlineAbort()).isFalse();
        assertThat(s.template().terminationGracePeriodSeconds()).isEqualTo(30);
        assertThat(s.strategy()).isEqualTo(Strategy.RollingUpdate.DEFAULT);
        Probe p = s.template().readinessProbe();
        assertThat(p).isEqualTo(new Probe(new Handler.TcpSocket(null, "127.0.0.1"), 0, 10, 1, 1, 3, null));
        assertThat(s.template().livenessProbe()).isNull();
        assertThat(s.template().preStop()).isNull();
    }

    @Test
    void outlierDetectionIsOnWithIstiosDefaultsUnlessTheServiceSaysOtherwise() throws Exception {
        ServiceSpec plain = SpecParser.parse(HEAD + "  service: {port: 8080}\n  template: {command: [a]}\n").getFirst().spec().service();
        assertThat(plain.outlierDetection()).isEqualTo(new ServiceSpec.OutlierDetection(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 50));
        ServiceSpec some = SpecParser.parse(HEAD + "  service: {port: 8080, outlierDetection: {consecutive5xxErrors: 3, maxEjectionTime: 2m}}\n"
                + "  template: {command: [a]}\n").getFirst().spec().service();
        assertThat(some.outlierDetection()).isEqualTo(new ServiceSpec.OutlierDetection(3, Duration.ofSeconds(30), Duration.ofMinutes(2), 50));
        ServiceSpec off = SpecParser.parse(HEAD + "  service: {port: 8080, outlierDetection: {consecutive5xxErrors: 0}}\n"
                + "  template: {command: [a]}\n").getFirst().spec().service();
        assertThat(off.outlierDetection().consecutive5xxErrors()).isZero();
    }

    @Test
    void aGrpcServiceSaysItsReplicasSpeakH2cAndProbesThemByTheHealthCheck() throws Exception {
        RolloutSpec s = SpecParser.parse(HEAD + "  service: {port: 8080, upstreamProtocol: h2c}\n  template:\n    command: [a]\n"
                + "    readinessProbe: {grpc: {service: shop.Cart}}\n    livenessProbe: {grpc: {port: 9000}}\n").getFirst().spec();
        assertThat(s.service().upstreamProtocol()).isEqualTo("h2c");
        assertThat(s.template().readinessProbe().handler()).isEqualTo(new Handler.Grpc(null, "shop.Cart"));
        assertThat(s.template().livenessProbe().handler()).isEqualTo(new Handler.Grpc(9000, ""));
        assertThat(s.template().readinessProbe().handler().describe()).isEqualTo("grpc 127.0.0.1:$PORT shop.Cart");
        assertThat(SpecParser.parse(HEAD + "  service: {port: 8080}\n  template: {command: [a]}\n").getFirst().spec().service()
                .upstreamProtocol()).isEqualTo("http1");
    }

    @Test
    void compressionIsOffUnlessTheServiceAsksAndAnEmptyObjectTakesTheDefaults() throws Exception {
        String tail = "  template: {command: [a]}\n";
        assertThat(SpecParser.parse(HEAD + "  service: {port: 8080}\n" + tail).getFirst().spec().service().compression()).isNull();
        var defaults = SpecParser.parse(HEAD + "  service: {port: 8080, compression: {}}\n" + tail).getFirst().spec().service().compression();
        assertThat(defaults).isEqualTo(new ServiceSpec.Compression(List.of("zstd", "br", "gzip"), 1024, ServiceSpec.Compression.CONTENT_TYPES));
        var some = SpecParser.parse(HEAD + "  service: {port: 8080, compression: {encodings: [gzip], minResponseBodyBytes: 0,"
                + " contentTypes: [text/html, application/*+json]}}\n" + tail).getFirst().spec().service().compression();
        assertThat(some).isEqualTo(new ServiceSpec.Compression(List.of("gzip"), 0, List.of("text/html", "application/*+json")));
    }

    @Test
    void recreateAndExecHandlersAndPaths() throws Exception {
        Rollout r = SpecParser.parse(HEAD + """
                  template:
                    command: [./server, --port, $(PORT)]
                    livenessProbe: {exec: {command: [test, -f, /tmp/ok]}}
                    readinessProbe: {httpGet: {path: ready, port: 9000, httpHeaders: [{name: X-Probe, value: "1"}]}}
                    lifecycle: {preStop: {exec: {command: [./drain]}}}
                  strategy: {recreate: {}}
                """).getFirst();
        Template t = r.spec().template();
        assertThat(t.livenessProbe().handler()).isEqualTo(new Handler.Exec(List.of("test", "-f", "/tmp/ok")));
        assertThat(t.readinessProbe().handler()).isEqualTo(new Handler.HttpGet("/ready", 9000, "127.0.0.1", "HTTP",
                List.of(new Handler.HttpHeader("X-Probe", "1"))));
        assertThat(t.preStop()).isEqualTo(new Handler.Exec(List.of("./drain")));
        assertThat(r.spec().strategy()).isInstanceOf(Strategy.Recreate.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown field with a suggestion   | '  replicas: 2\n  template: {command: [a]}\n  minReadySecond: 3'         | spec.minReadySecond: unknown field; did you mean minReadySeconds? (line 7)
            unknown field deep                | '  template:\n    command: [a]\n    readinesProbe: {tcpSocket: {}}'      | spec.template.readinesProbe: unknown field; did you mean readinessProbe? (line 7)
            wrong type: text for a number     | '  replicas: four\n  template: {command: [a]}'                             | spec.replicas: expected a whole number, got text "four" (line 5)
            wrong type: quoted number         | '  replicas: "4"\n  template: {command: [a]}'                              | spec.replicas: expected a whole number, got text "4" (line 5)
            wrong type: string for argv       | '  template: {command: java -jar app.jar}'                                   | spec.template.command: expected a list, got text "java -jar app.jar" (argv is a list, e.g. [java, -jar, app.jar]) (line 5)
            negative number                   | '  replicas: -1\n  template: {command: [a]}'                               | spec.replicas: must be from 0 to 10000, got -1 (line 5)
            zero period                       | '  template:\n    command: [a]\n    livenessProbe: {tcpSocket: {}, periodSeconds: 0}' | spec.template.livenessProbe.periodSeconds: must be from 1 to 86400, got 0 (line 7)
            successThreshold on liveness      | '  template:\n    command: [a]\n    livenessProbe: {tcpSocket: {}, successThreshold: 2}' | spec.template.livenessProbe.successThreshold: must be 1 for a liveness probe (Kubernetes rejects anything else), got 2 (line 7)
            successThreshold on startup       | '  template:\n    command: [a]\n    startupProbe: {tcpSocket: {}, successThreshold: 3}' | spec.template.startupProbe.successThreshold: must be 1 for a startup probe (Kubernetes rejects anything else), got 3 (line 7)
            grace period on readiness         | '  template:\n    command: [a]\n    readinessProbe: {tcpSocket: {}, terminationGracePeriodSeconds: 5}' | spec.template.readinessProbe.terminationGracePeriodSeconds: is not allowed on a readiness probe: readiness never kills a replica (line 7)
            surge and unavailable both zero   | '  template: {command: [a]}\n  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0%}' | spec.strategy.rollingUpdate: maxSurge and maxUnavailable may not both be 0; no replica could ever be replaced (set maxSurge: 1 to add one new replica at a time) (line 7)
            bad percentage                    | '  template: {command: [a]}\n  strategy:\n    rollingUpdate: {maxSurge: 1.5}' | spec.strategy.rollingUpdate.maxSurge: expected a non-negative whole number or a percentage like 25%, got number "1.5" (line 7)
            unavailable above 100%            | '  template: {command: [a]}\n  strategy:\n    rollingUpdate: {maxUnavailable: 150%}' | spec.strategy.rollingUpdate.maxUnavailable: must not be greater than 100%, got 150% (line 7)
            empty command                     | '  template: {command: []}'                                                  | spec.template.command: needs at least 1 item (line 5)
            empty argument                    | '  template: {command: [java, ""]}'                                          | spec.template.command[1]: must not be empty (line 5)
            missing command                   | '  template: {version: v1}'                                                  | spec.template.command: required: command (a process on the embedded platform), or image (a container on either platform) or podTemplate (Kubernetes), or a spec.workloadRef; a template may carry both (line 5)
            probe with no handler             | '  template:\n    command: [a]\n    readinessProbe: {periodSeconds: 2}'    | spec.template.readinessProbe: set one of exec, httpGet, tcpSocket, grpc (line 7)
            probe with two handlers           | '  template:\n    command: [a]\n    readinessProbe: {tcpSocket: {}, exec: {command: [x]}}' | spec.template.readinessProbe: set only one of exec, httpGet, tcpSocket, grpc; found exec and tcpSocket (line 7)
            two strategies                    | '  template: {command: [a]}\n  strategy: {recreate: {}, rollingUpdate: {}}' | spec.strategy: set only one of rollingUpdate, recreate, canary, blueGreen; found rollingUpdate and recreate (line 6)
            duplicate field                   | '  replicas: 1\n  replicas: 2\n  template: {command: [a]}'                 | spec.replicas: duplicate field; each field may appear once (line 6)
            duplicate env name                | '  template:\n    command: [a]\n    env: {A: x, A: y}'                     | spec.template.env.A: duplicate name; each name may appear once (line 7)
            PORT in env                       | '  template:\n    command: [a]\n    env: {PORT: "80"}'                     | spec.template.env.PORT: PORT is set by Rollgate for each replica (a free loopback port); remove it from env (line 7)
            deadline not above minReady       | '  minReadySeconds: 30\n  progressDeadlineSeconds: 30\n  template: {command: [a]}' | spec.progressDeadlineSeconds: must be greater than minReadySeconds (30), or no replica could ever count as progress (line 6)
            port out of range                 | '  service: {port: 70000}\n  template: {command: [a]}'                    | spec.service.port: must be from 1 to 65535, got 70000 (line 5)
            absurd replicas                   | '  replicas: 2147483647\n  template: {command: [a]}'                     | spec.replicas: must be from 0 to 10000, got 2147483647 (line 5)
            absurd grace period               | '  template:\n    command: [a]\n    terminationGracePeriodSeconds: 2147483647' | spec.template.terminationGracePeriodSeconds: must be from 0 to 86400, got 2147483647 (line 7)
            zero upstream timeout             | '  service: {port: 8080, upstreamTimeout: 0s}\n  template: {command: [a]}' | spec.service.upstreamTimeout: must be more than 0 and at most 24h, got 0 ms (line 5)
            ejection share above 100          | '  service: {port: 8080, outlierDetection: {maxEjectionPercent: 150}}\n  template: {command: [a]}' | spec.service.outlierDetection.maxEjectionPercent: must be from 0 to 100, got 150 (line 5)
            ejection max below base           | '  service: {port: 8080, outlierDetection: {baseEjectionTime: 60s, maxEjectionTime: 30s}}\n  template: {command: [a]}' | spec.service.outlierDetection.maxEjectionTime: must be at least baseEjectionTime (60 s) and at most 24h, got 30000 ms (line 5)
            zero ejection time                | '  service: {port: 8080, outlierDetection: {baseEjectionTime: 0s}}\n  template: {command: [a]}' | spec.service.outlierDetection.baseEjectionTime: must be more than 0 and at most 24h, got 0 ms (line 5)
            unknown outlier field             | '  service: {port: 8080, outlierDetection: {consecutiveErrors: 3}}\n  template: {command: [a]}' | spec.service.outlierDetection.consecutiveErrors: unknown field; did you mean consecutive5xxErrors? (line 5)
            unknown encoding                  | '  service: {port: 8080, compression: {encodings: [gzip, deflate]}}\n  template: {command: [a]}' | spec.service.compression.encodings[1]: must be zstd or br or gzip, got "deflate" (line 5)
            encoding twice                    | '  service: {port: 8080, compression: {encodings: [gzip, gzip]}}\n  template: {command: [a]}' | spec.service.compression.encodings: names an encoding twice: [gzip, gzip] (line 5)
            content type not a type           | '  service: {port: 8080, compression: {contentTypes: [html]}}\n  template: {command: [a]}' | spec.service.compression.contentTypes[0]: "html" is not valid: be a media type such as text/html, text/* or application/*+json, in lower case (line 5)
            grpc and tcp both                 | '  template:\n    command: [a]\n    readinessProbe: {grpc: {}, tcpSocket: {}}' | spec.template.readinessProbe: set only one of exec, httpGet, tcpSocket, grpc; found tcpSocket and grpc (line 7)
            grpc service with a space         | '  template:\n    command: [a]\n    readinessProbe: {grpc: {service: "a b"}}' | spec.template.readinessProbe.grpc.service: "a b" is not valid: a gRPC service name has no spaces (line 7)
            unknown upstream protocol         | '  service: {port: 8080, upstreamProtocol: h2}\n  template: {command: [a]}' | spec.service.upstreamProtocol: must be http1 or h2c, got "h2"; did you mean h2c? (line 5)
            send timeout not a duration       | '  service: {port: 8080, sendTimeout: soon}\n  template: {command: [a]}' | spec.service.sendTimeout: expected a duration such as 30s, 2m, 1h or a number of seconds, got text "soon" (line 5)
            boolean expected                  | '  paused: maybe\n  template: {command: [a]}'                              | spec.paused: expected true or false, got text "maybe" (line 5)
            object expected                   | '  template: [a]'                                                             | spec.template: expected an object with fields [version, command, image, args, ports, resources, podTemplate, env, volumes, volumeMounts, workingDir, startupProbe, readinessProbe, livenessProbe, lifecycle, terminationGracePeriodSeconds], got a list (line 5)
            preStop sleep negative            | '  template:\n    command: [a]\n    lifecycle: {preStop: {sleep: {seconds: -2}}}' | spec.template.lifecycle.preStop.sleep.seconds: must be from 0 to 86400, got -2 (line 7)
            NUL in an env value               | '  template:\n    command: [a]\n    env: {A: "x\\0y"}'                     | spec.template.env.A: contains a NUL character (\\0), which no command, environment variable, file name or URL can carry (line 7)
            NUL in an argument                | '  template: {command: [a, "b\\0"]}'                                       | spec.template.command[1]: contains a NUL character (\\0), which no command, environment variable, file name or URL can carry (line 5)
            NUL in a pod template             | '  template: {command: [a], podTemplate: {spec: {x: "\\0"}}}'             | spec.template.podTemplate.spec.x: contains a NUL character (\\0), which no command, environment variable, file name or URL can carry (line 5)
            webhook URL with a <              | '  template: {command: [a]}\n  webhooks: [{url: "http://h.test/<x>"}]'    | spec.webhooks[0].url: is not a URL: Illegal character in path at index 14 (percent-encode characters such as spaces, < and >) (line 6)
            webhook URL without a host        | '  template: {command: [a]}\n  webhooks: [{url: "http:///x"}]'            | spec.webhooks[0].url: "http:///x" names no host; write http://HOST[:PORT]/PATH (line 6)
            probe path with a space           | '  template:\n    command: [a]\n    readinessProbe: {httpGet: {path: "/a b"}}' | spec.template.readinessProbe.httpGet.path: "/a b" is not valid: a request path has no spaces or line breaks (percent-encode them) (line 7)
            scheme not supported              | '  template:\n    command: [a]\n    readinessProbe: {httpGet: {scheme: HTTPS}}' | spec.template.readinessProbe.httpGet.scheme: must be HTTP, got "HTTPS" (line 7)
            """)
    void rejectsWithPathLineAndWhatWouldBeValid(String name, String body, String expected) {
        assertThat(errors(HEAD + body.replace("\\n", "\n") + "\n")).extracting(SpecError::toString).contains(expected);
    }

    @Test
    void probeHeadersAreOneLineWithATokenName() {
        assertThat(errors(HEAD + "  template:\n    command: [a]\n    readinessProbe: {httpGet: {httpHeaders: [{name: \"X:Y\", value: \"a\\rb\"}]}}\n"))
                .extracting(e -> e.path() + ": " + e.message().substring(e.message().indexOf("is not valid")))
                .containsExactly("spec.template.readinessProbe.httpGet.httpHeaders[0].name: is not valid: a header name is letters, digits and"
                        + " !#$%&'*+.^_`|~- (RFC 9110's token)",
                        "spec.template.readinessProbe.httpGet.httpHeaders[0].value: is not valid: a header value is one line");
    }

    @Test
    void everyErrorIsReportedNotJustTheFirst() {
        List<SpecError> errors = errors(HEAD + """
                  replicas: -3
                  tempalte: {}
                """);
        assertThat(errors).extracting(SpecError::path)
                .containsExactly("spec.replicas", "spec.tempalte", "spec.template");
    }

    @Test
    void wrongKindAndApiVersionAndName() {
        List<SpecError> errors = errors("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: Web_1}
                spec: {template: {command: [a]}}
                """);
        assertThat(errors).extracting(SpecError::toString).containsExactly(
                "apiVersion: must be rollgate.dev/v1alpha1, got \"apps/v1\" (line 1)",
                "kind: must be Rollout, got \"Deployment\" (line 2)",
                "metadata.name: \"Web_1\" is not valid: use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (line 3)");
    }

    @Test
    void duplicateRolloutNamesAcrossDocuments() {
        String doc = HEAD + "  template: {command: [a]}\n";
        assertThat(errors(doc + "---\n" + doc)).extracting(SpecError::toString)
                .containsExactly("metadata.name: duplicate name \"web\"; it is already used on line 3 (line 9)");
    }

    @Test
    void severalRolloutsInOneFile() throws Exception {
        String doc = HEAD + "  template: {command: [a]}\n";
        List<Rollout> rollouts = SpecParser.parse(doc + "---\n" + doc.replace("name: web", "name: api"));
        assertThat(rollouts).extracting(Rollout::name).containsExactly("web", "api");
    }

    @Test
    void brokenYamlAndEmptyInput() {
        assertThat(errors("spec: [unclosed\n")).first().satisfies(e -> {
            assertThat(e.message()).startsWith("not valid YAML");
            assertThat(e.line()).isPositive();
        });
        assertThat(errors("")).extracting(SpecError::message)
                .containsExactly("no Rollout found; a spec starts with apiVersion: rollgate.dev/v1alpha1 and kind: Rollout");
    }

    @Test
    void aliasCycleIsAnErrorNotAStackOverflow() {
        // Two aliases of the collection that holds them would double at every level the binder followed.
        assertThat(errors(HEAD + "  template: &t {command: [a], env: *t, podTemplate: {a: [*t, *t]}}\n")).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("an alias here refers to a collection that contains it, which would make the document endless");
            assertThat(e.line()).isEqualTo(5);
        });
    }

    @Test
    void missingFileIsAnError() {
        assertThatThrownBy(() -> SpecParser.parseFile(Path.of("no/such/spec.yaml")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("cannot read no/such/spec.yaml: no such file");
    }
}
