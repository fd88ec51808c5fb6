package dev.rollgate.lint;

import dev.rollgate.spec.AliasExpansion;
import dev.rollgate.spec.YamlDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads manifests, relates them as the cluster would (a Service selects pods by labels in its
 * namespace; a PodDisruptionBudget and an HPA match their workload) and runs every {@link Rule}.
 */
public final class Linter {

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|api[_-]?key|private[_-]?key|credentials?).*");
    private static final Pattern SLEEP_COMMAND = Pattern.compile("(?:.*\\s)?sleep\\s+(\\d+).*");

    /** Files that could not be read or parsed are reported, not thrown. */
    public record Result(List<Finding> findings, List<String> problems, int objects) {}

    private Linter() {}

    public static Result lint(List<Path> inputs) {
        List<Manifest> manifests = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path input : inputs) {
            List<Path> files;
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
                } catch (IOException e) {
                    problems.add(input + ": cannot read the directory: " + e.getMessage());
                    continue;
                }
            } else if (Files.isRegularFile(input)) {
                files = List.of(input);
            } else {
                problems.add(input + ": no such file or directory");
                continue;
            }
            for (Path f : files) {
                try {
                    manifests.addAll(parse(Files.readString(f, StandardCharsets.UTF_8), f.toString()));
                } catch (IOException e) {
                    problems.add(f + ": cannot read: " + e.getMessage());
                } catch (YAMLException e) {
                    problems.add(f + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
        return new Result(check(manifests), problems, manifests.size());
    }

    public static List<Manifest> parse(String text, String file) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(60);
        List<Manifest> out = new ArrayList<>();
        for (Node doc : YamlDocuments.of(text, options)) {
            var tooLarge = AliasExpansion.check(doc);
            if (tooLarge.isPresent()) throw new YAMLException("line " + tooLarge.get().line() + ": " + tooLarge.get().message());
            ManifestNode root = ManifestNode.root(doc);
            String kind = root.get("kind").text();
            if (kind == null) continue;
            if (kind.equals("List")) {
                for (ManifestNode item : root.get("items").list()) out.add(manifest(item, file));
                continue;
            }
            out.add(manifest(root, file));
        }
        return out;
    }

    private static Manifest manifest(ManifestNode root, String file) {
        return new Manifest(root.get("apiVersion").text(""), root.get("kind").text(""), root.at("metadata", "name").text("?"),
                root.at("metadata", "namespace").text("default"), file, root);
    }

    public static List<Finding> check(List<Manifest> manifests) {
        List<Finding> findings = new ArrayList<>();
        List<Manifest> services = manifests.stream().filter(m -> m.kind().equals("Service")).toList();
        List<Manifest> pdbs = manifests.stream().filter(m -> m.kind().equals("PodDisruptionBudget")).toList();
        List<Manifest> hpas = manifests.stream().filter(m -> m.kind().equals("HorizontalPodAutoscaler")).toList();
        for (Manifest m : manifests) {
            List<Finding> own = new ArrayList<>();
            Workload w = Workload.of(m);
            if (w != null) workload(w, services, pdbs, hpas, own);
            if (m.kind().equals("PodDisruptionBudget")) pdb(m, manifests, own);
            own.removeIf(f -> m.ignored().contains(f.check()));
            findings.addAll(own);
        }
        findings.sort(Comparator.comparing(Finding::file).thenComparingInt(Finding::line).thenComparing(Finding::check));
        return findings;
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static void workload(Workload w, List<Manifest> services, List<Manifest> pdbs, List<Manifest> hpas, List<Finding> out) {
        Manifest m = w.manifest();
        boolean served = w.rollgateServed() || services.stream().anyMatch(s -> s.namespace().equals(m.namespace())
                && selects(s.root().at("spec", "selector").stringMap(), w.podLabels()));
        int replicas = w.replicas() == null ? 2 : w.replicas();
        int minReplicas = hpas.stream().filter(h -> h.namespace().equals(m.namespace())
                        && m.name().equals(h.root().at("spec", "scaleTargetRef", "name").text())
                        && m.kind().equals(h.root().at("spec", "scaleTargetRef", "kind").text()))
                .mapToInt(h -> h.root().at("spec", "minReplicas").integer(1)).max().orElse(replicas);

        for (Workload.Container c : w.containers()) {
            if (served && !c.readiness().exists()) add(out, m, "readiness-probe-missing", c.node(), "container " + c.name() + " has no readinessProbe");
            if (c.readiness().exists() && c.liveness().exists()) {
                if (c.readiness().sameAs(c.liveness())) {
                    add(out, m, "probes-identical", c.liveness(), "container " + c.name() + ": livenessProbe is identical to readinessProbe");
                } else {
                    String rp = c.readiness().at("httpGet", "path").text(), lp = c.liveness().at("httpGet", "path").text();
                    if (rp != null && rp.equals(lp)) {
                        add(out, m, "liveness-checks-dependencies", c.liveness().at("httpGet", "path"),
                                "container " + c.name() + ": livenessProbe uses the readiness path " + rp);
                    }
                }
            }
            if (c.liveness().exists() && !c.startup().exists() && c.liveness().get("initialDelaySeconds").integer(0) >= 30) {
                add(out, m, "startup-probe-missing", c.liveness().get("initialDelaySeconds"), "container " + c.name()
                        + ": livenessProbe.initialDelaySeconds " + c.liveness().get("initialDelaySeconds").integer(0) + " and no startupProbe");
            }
            if (c.readiness().exists() && c.readiness().get("successThreshold").integer(1) < 2) {
                add(out, m, "readiness-success-threshold", c.readiness(), "container " + c.name() + ": readinessProbe.successThreshold is 1");
            }
            // A Rollgate replica without an image runs its exec probes as plain processes: nothing in between.
            if (!m.isRollgate() || c.image().exists()) {
                execTimeout(out, m, c, "livenessProbe", c.liveness());
                execTimeout(out, m, c, "readinessProbe", c.readiness());
                execTimeout(out, m, c, "startupProbe", c.startup());
            }
            if (served && !c.preStop().exists()) add(out, m, "prestop-missing", c.node(), "container " + c.name() + " has no preStop hook");
            int sleep = preStopSleep(c.preStop());
            int grace = w.grace().integer(30);
            if (sleep > 0 && sleep >= grace) {
                add(out, m, "grace-period-too-short", w.grace().exists() ? w.grace() : c.preStop(),
                        "preStop sleeps " + sleep + "s but terminationGracePeriodSeconds is " + grace + "s");
            }
            if (!m.isRollgate()) image(m, c, out);
            if (!m.isRollgate() && (!c.resources().at("requests", "cpu").exists() || !c.resources().at("requests", "memory").exists())) {
                add(out, m, "resources-missing", c.resources().exists() ? c.resources() : c.node(), "container " + c.name()
                        + " has no cpu and memory requests");
            }
            secrets(m, c, out);
        }
        ManifestNode where = w.strategy().exists() ? w.strategy() : m.root().get("spec");
        if (w.maxUnavailable() != null) { // null: Recreate, which is all-at-once by choice
            int unavailable = Workload.scaled(w.maxUnavailable(), replicas, false);
            if (zero(w.maxSurge()) && zero(w.maxUnavailable())) {
                add(out, m, "surge-and-unavailable-zero", where, "maxSurge " + w.maxSurge() + " and maxUnavailable " + w.maxUnavailable());
            } else if (replicas > 1 && unavailable >= replicas) {
                add(out, m, "max-unavailable-all", where, "maxUnavailable " + w.maxUnavailable() + " of " + replicas + " replicas");
            }
        }
        if (w.replicas() != null && minReplicas < 2) {
            add(out, m, "single-replica", w.replicasNode().exists() ? w.replicasNode() : m.root().get("spec"), "replicas: " + w.replicas());
        }
        if (!m.isRollgate() && served && replicas >= 2 && pdbs.stream().noneMatch(p -> p.namespace().equals(m.namespace())
                && selects(p.root().at("spec", "selector", "matchLabels").stringMap(), w.podLabels()))) {
            add(out, m, "pdb-missing", m.root().get("metadata"), "no PodDisruptionBudget selects " + w.podLabels());
        }
        if (!m.isRollgate() && replicas >= 2 && !w.podSpec().get("topologySpreadConstraints").exists()
                && !w.podSpec().at("affinity", "podAntiAffinity").exists()) {
            add(out, m, "no-topology-spread", w.podSpec().exists() ? w.podSpec() : m.root(), "no topologySpreadConstraints or podAntiAffinity");
        }
        if ((m.kind().equals("Deployment") || m.isArgoRollout()) && !w.progressDeadline().exists()) {
            add(out, m, "progress-deadline-missing", m.root().get("spec"), "spec.progressDeadlineSeconds is not set");
        }
        if (!m.kind().equals("DaemonSet") && w.minReady().integer(0) == 0) {
            add(out, m, "min-ready-seconds-zero", w.minReady().exists() ? w.minReady() : m.root().get("spec"), "minReadySeconds is 0");
        }
    }

    private static boolean zero(String intOrPercent) {
        return intOrPercent != null && intOrPercent.strip().matches("0+%?");
    }

    private static void image(Manifest m, Workload.Container c, List<Finding> out) {
        String image = c.image().text();
        if (image == null) return;
        String afterSlash = image.substring(image.lastIndexOf('/') + 1);
        boolean digest = image.contains("@sha256:");
        boolean tagged = afterSlash.contains(":");
        if (!digest && (!tagged || image.endsWith(":latest"))) {
            add(out, m, "image-not-pinned", c.image(), "image " + image + (tagged ? " uses :latest" : " has no tag"));
        } else if (!digest) {
            out.add(finding(m, Rule.get("image-not-pinned"), Severity.info, c.image(), "image " + image + " has a tag but no digest"));
        }
    }

    private static void secrets(Manifest m, Workload.Container c, List<Finding> out) {
        if (m.isRollgate()) {
            for (var e : c.env().stringMap().entrySet()) {
                if (SECRET_NAME.matcher(e.getKey()).matches() && !e.getValue().isEmpty()) {
                    add(out, m, "secret-in-env", c.env().get(e.getKey()), "env " + e.getKey() + " holds a literal value");
                }
            }
            return;
        }
        for (ManifestNode e : c.env().list()) {
            String name = e.get("name").text("");
            if (SECRET_NAME.matcher(name).matches() && e.get("value").exists() && !e.get("value").text("").isEmpty()) {
                add(out, m, "secret-in-env", e.get("value"), "container " + c.name() + ": env " + name + " holds a literal value");
            }
        }
    }

    private static void pdb(Manifest p, List<Manifest> all, List<Finding> out) {
        ManifestNode spec = p.root().get("spec");
        Map<String, String> selector = spec.at("selector", "matchLabels").stringMap();
        if (spec.get("maxUnavailable").exists()) {
            String v = spec.get("maxUnavailable").text("");
            if (v.equals("0") || v.equals("0%")) add(out, p, "pdb-blocks-eviction", spec.get("maxUnavailable"), "maxUnavailable: " + v);
            return;
        }
        String min = spec.get("minAvailable").text();
        if (min == null) return;
        if (min.equals("100%")) {
            add(out, p, "pdb-blocks-eviction", spec.get("minAvailable"), "minAvailable: 100%");
            return;
        }
        for (Manifest m : all) {
            Workload w = Workload.of(m);
            if (w == null || w.replicas() == null || !m.namespace().equals(p.namespace()) || !selects(selector, w.podLabels())) continue;
            if (!min.endsWith("%") && Workload.scaled(min, w.replicas(), false) >= w.replicas()) {
                add(out, p, "pdb-blocks-eviction", spec.get("minAvailable"), "minAvailable " + min + " with " + w.replicas() + " replicas of " + m.name());
            }
        }
    }

    private static void execTimeout(List<Finding> out, Manifest m, Workload.Container c, String which, ManifestNode probe) {
        if (!probe.get("exec").exists()) return;
        int timeout = probe.get("timeoutSeconds").integer(1);
        if (timeout < 2) {
            add(out, m, "exec-probe-timeout-short", probe.get("timeoutSeconds").exists() ? probe.get("timeoutSeconds") : probe,
                    "container " + c.name() + ": " + which + " runs a command with timeoutSeconds " + timeout);
        }
    }

    /** Seconds a preStop hook sleeps: {@code sleep.seconds}, or an exec of {@code sleep N} (also via a shell). */
    public static int preStopSleep(ManifestNode preStop) {
        if (!preStop.exists()) return 0;
        Integer s = preStop.at("sleep", "seconds").integer();
        if (s != null) return s;
        List<ManifestNode> cmd = preStop.at("exec", "command").list();
        String joined = String.join(" ", cmd.stream().map(y -> y.text("")).toList());
        var matcher = SLEEP_COMMAND.matcher(joined);
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    private static void add(List<Finding> out, Manifest m, String id, ManifestNode at, String detail) {
        Rule r = Rule.get(id);
        out.add(finding(m, r, r.severity(), at, detail));
    }

    private static Finding finding(Manifest m, Rule r, Severity severity, ManifestNode at, String detail) {
        return new Finding(r.id(), severity, m.kind(), m.name(), m.namespace(), m.file(), at.path(), at.line(),
                detail + ": " + r.why(), r.fix());
    }
}
