package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The verbs {@code rollgate secret} and {@code rollgate config} share, kubectl's way: create and set from
 * literals, files and env files; list; history; delete. They talk to the daemon only: on a cluster,
 * Secrets and ConfigMaps are kubectl's ({@code kubectl create secret generic}).
 */
final class SourceCommands {

    private SourceCommands() {}

    /** {@code secret} or {@code config}: which kind the verbs act on. */
    interface Parent {
        /** The admin API's collection: secrets or configmaps. */
        String collection();

        /** How the CLI names one: secret or configmap. */
        String noun();
    }

    /** Where the values come from, as {@code kubectl create secret generic} takes them. */
    static final class Values {
        @Option(names = "--from-literal", paramLabel = "KEY=VALUE", description = "A key and its value (repeatable).")
        List<String> literals = new ArrayList<>();

        @Option(names = "--from-file", paramLabel = "[KEY=]PATH", description = "A file's content as one key (default: the file's name) (repeatable).")
        List<String> files = new ArrayList<>();

        @Option(names = "--from-env-file", paramLabel = "FILE", description = "KEY=VALUE lines ('#' starts a comment) (repeatable).")
        List<Path> envFiles = new ArrayList<>();

        Map<String, String> read() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String l : literals) {
                int eq = l.indexOf('=');
                if (eq <= 0) throw new CliException("--from-literal: \"" + l + "\" is not KEY=VALUE");
                put(out, "--from-literal", l.substring(0, eq), l.substring(eq + 1));
            }
            for (String f : files) {
                int eq = f.indexOf('=');
                Path path = Path.of(eq < 0 ? f : f.substring(eq + 1));
                String key = eq < 0 ? String.valueOf(path.getFileName()) : f.substring(0, eq);
                put(out, "--from-file", key, text(path, "--from-file"));
            }
            for (Path file : envFiles) {
                String[] lines = text(file, "--from-env-file").split("\n");
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i].strip();
                    if (line.isEmpty() || line.startsWith("#")) continue;
                    int eq = line.indexOf('=');
                    if (eq <= 0) throw new CliException("--from-env-file " + file + ": line " + (i + 1) + " is not KEY=VALUE");
                    put(out, "--from-env-file " + file, line.substring(0, eq).strip(), line.substring(eq + 1));
                }
            }
            if (out.isEmpty()) throw new CliException("give the values: --from-literal KEY=VALUE, --from-file [KEY=]PATH or --from-env-file FILE");
            return out;
        }

        private static void put(Map<String, String> out, String option, String key, String value) {
            if (!key.matches("[-._a-zA-Z0-9]{1,253}")) {
                throw new CliException(option + ": \"" + key + "\" is not a valid key; use letters, digits, '-', '_' and '.'");
            }
            if (out.putIfAbsent(key, value) != null) throw new CliException(option + ": key " + key + " is given twice");
        }

        private static String text(Path file, String option) {
            try {
                if (Files.size(file) > 1 << 20) throw new CliException(option + ": " + file + " is over 1 MiB");
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            } catch (NoSuchFileException e) {
                throw new CliException(option + ": " + file + ": no such file");
            } catch (CharacterCodingException e) {
                throw new CliException(option + ": " + file + ": not UTF-8 text");
            } catch (IOException e) {
                throw new CliException(option + ": " + file + ": " + e.getMessage());
            }
        }
    }

    abstract static class Verb implements Callable<Integer> {
        @ParentCommand
        Parent parent;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        LocalDaemonOptions daemon;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        String path(String name) {
            if (!name.matches("[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?")) {
                throw new CliException("NAME: \"" + name + "\" is not a valid name; use lower-case letters, digits, '-' and '.'");
            }
            return "/v1/" + parent.collection() + "/" + name;
        }
    }

    abstract static class Write extends Verb {
        @Parameters(index = "0", paramLabel = "NAME", description = "Its name.")
        String name;

        @Mixin
        Values values;

        Integer write(boolean create) {
            Map<String, Object> body = Map.of("data", values.read(), "create", create);
            JsonNode w = daemon.client().post(path(name), body);
            out().println(parent.noun() + "/" + name + " " + w.path("result").asText() + " (version " + w.path("version").asInt() + ")");
            out().flush();
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create it (version 1); refused if it exists.")
    static final class Create extends Write {
        @Override
        public Integer call() {
            return write(true);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "A new version with these values (all of them); the services that read it roll out, unless rolloutOnChange: false.")
    static final class Set extends Write {
        @Override
        public Integer call() {
            return write(false);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Each one's newest version, its keys and the services that run it.")
    static final class List_ extends Verb {
        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml.")
        String output;

        @Override
        public Integer call() {
            JsonNode all = daemon.client().get("/v1/" + parent.collection());
            if (Output.data(out(), output, all)) return 0;
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode v : all) {
                rows.add(List.of(v.path("name").asText(), v.path("version").asText(), keys(v), Output.age(Output.text(v, "created")),
                        usedBy(v)));
            }
            if (rows.isEmpty()) out().println("No " + parent.noun() + "s.");
            else Output.table(out(), List.of("NAME", "VERSION", "KEYS", "AGE", "USED BY"), rows, "");
            out().flush();
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "The versions kept: the newest, and every one a revision still runs or may go back to.")
    static final class History extends Verb {
        @Parameters(index = "0", paramLabel = "NAME", description = "Its name.")
        String name;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml.")
        String output;

        @Override
        public Integer call() {
            JsonNode all = daemon.client().get(path(name) + "/history");
            if (Output.data(out(), output, all)) return 0;
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode v : all) {
                rows.add(List.of(v.path("version").asText(), Output.age(Output.text(v, "created")), keys(v),
                        usedBy(v)));
            }
            Output.table(out(), List.of("VERSION", "AGE", "KEYS", "USED BY"), rows, "");
            out().flush();
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete it; refused while a service's template reads it.")
    static final class Delete extends Verb {
        @Parameters(index = "0", paramLabel = "NAME", description = "Its name.")
        String name;

        @Override
        public Integer call() {
            daemon.client().delete(path(name));
            out().println(parent.noun() + "/" + name + " deleted");
            out().flush();
            return 0;
        }
    }

    /** The services whose current template reads it, or "-". */
    private static String usedBy(JsonNode v) {
        return v.path("usedBy").isEmpty() ? "-" : String.join(",", Json.MAPPER.convertValue(v.path("usedBy"), String[].class));
    }

    /** {@code password(16B)}: the keys and their sizes, never a value. */
    private static String keys(JsonNode v) {
        List<String> out = new ArrayList<>();
        v.path("sizes").properties().forEach(e -> out.add(e.getKey() + "(" + e.getValue().asInt() + "B)"));
        return String.join(",", out);
    }
}
