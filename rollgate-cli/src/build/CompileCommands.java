import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.ToolProvider;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A build step (run by rollgate-cli's pom as a source file, after the compiler): picocli reads the
 * commands' annotations here, once, and this writes and compiles {@code dev.rollgate.cli.CompiledCommands},
 * which builds the same models with picocli's programmatic API. At run time no annotation is read: the
 * JVM makes a proxy class per annotation type read (eight for {@code rollgate get}, about 60 ms of a
 * 0.3 s command), and no start-up cache can hold them.
 *
 * <p>A command this step cannot express (an {@code @ArgGroup}, an {@code @Unmatched} field, a private
 * field) is left to picocli's reflection: {@code CompiledCommands} returns null for it, and says so here.
 *
 * <p>Usage: {@code java -cp CLASSPATH CompileCommands.java CLASS_DIR}, CLASSPATH holding CLASS_DIR.
 */
public final class CompileCommands {

    private static final String PACKAGE = "dev.rollgate.cli";
    private static final String SPEC = "picocli.CommandLine.Model.CommandSpec";
    private static final String OPTION = "picocli.CommandLine.Model.OptionSpec";
    private static final String POSITIONAL = "picocli.CommandLine.Model.PositionalParamSpec";

    /** The field, or the setter method, an option or positional parameter is bound to; its number is its case in the binding's switch. */
    private record Binding(int number, Member member) {}

    private final List<Binding> bindings = new ArrayList<>();
    private final Set<String> refused = new LinkedHashSet<>();
    private final CommandLine.IFactory factory;
    private int vars;

    private CompileCommands(CommandLine.IFactory factory) {
        this.factory = factory;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) throw new IllegalArgumentException("usage: CompileCommands CLASS_DIR");
        Path classes = Path.of(args[0]);
        @SuppressWarnings("unchecked") Map<String, Class<?>> named = (Map<String, Class<?>>) staticField("Commands", "ALL");
        var step = new CompileCommands((CommandLine.IFactory) staticField("CommandFactory", "INSTANCE"));
        String source = step.source(Class.forName(PACKAGE + ".Main"), named);
        Path dir = Files.createTempDirectory("compiled-commands-");
        Path file = dir.resolve("CompiledCommands.java");
        Files.writeString(file, source);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "21", "-proc:none", "-nowarn",
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), file.toString());
        if (rc != 0) throw new IllegalStateException("CompiledCommands did not compile; the source is " + file);
        Files.delete(file);
        Files.delete(dir);
        System.out.println("CompileCommands: " + (named.size() - step.refused.size()) + " of " + named.size()
                + " commands compiled" + (step.refused.isEmpty() ? "" : "; left to picocli's reflection: " + String.join(", ", step.refused)));
    }

    /** A static field of a class of the CLI (package-private: read through reflection). */
    private static Object staticField(String className, String name) throws ReflectiveOperationException {
        Field f = Class.forName(PACKAGE + "." + className).getDeclaredField(name);
        f.setAccessible(true);
        return f.get(null);
    }

    private String source(Class<?> root, Map<String, Class<?>> named) throws Exception {
        StringBuilder methods = new StringBuilder();
        methods.append("    @Override\n    public ").append(SPEC).append(" root() {\n");
        methods.append(body(CommandSpec.forAnnotatedObject(root, factory), null));
        methods.append("    }\n\n    @Override\n    public ").append(SPEC).append(" command(String name) {\n        return switch (name) {\n");
        StringBuilder each = new StringBuilder();
        for (var e : named.entrySet()) {
            boolean own = e.getValue().getName().startsWith(PACKAGE + ".");
            CommandSpec spec = own ? CommandSpec.forAnnotatedObject(e.getValue(), factory) : null;
            String why = own ? unsupported(spec) : "picocli's own";
            if (why != null) {
                refused.add(e.getKey() + " (" + why + ")");
                continue;
            }
            String method = "c" + javaName(e.getKey());
            methods.append("            case \"").append(e.getKey()).append("\" -> ").append(method).append("();\n");
            each.append("\n    private ").append(SPEC).append(' ').append(method).append("() {\n").append(body(spec, null)).append("    }\n");
        }
        methods.append("            default -> null;\n        };\n    }\n");
        return """
                package %s;

                /** Generated by src/build/CompileCommands.java from the commands' annotations; do not edit. */
                @SuppressWarnings({"unchecked", "rawtypes"})
                final class CompiledCommands implements CommandModels {

                %s%s
                %s}
                """.formatted(PACKAGE, methods, each, bindingClass());
    }

    /** Why a command (or one of its subcommands) is left to reflection, or null. */
    private static String unsupported(CommandSpec spec) {
        if (!spec.argGroups().isEmpty()) return "an @ArgGroup";
        if (!spec.unmatchedArgsBindings().isEmpty()) return "an @Unmatched field";
        CommandSpec help = spec.mixins().get("mixinStandardHelpOptions");
        for (ArgSpec a : spec.args()) {
            if (help != null && help.args().contains(a)) continue; // made again by mixinStandardHelpOptions(true)
            if (a.userObject() instanceof Method m && m.getParameterCount() != 1) return "an option on a method that is not a setter";
            if (!(a.userObject() instanceof Field || a.userObject() instanceof Method)) return "an option on neither a field nor a method";
            Member m = (Member) a.userObject();
            if (Modifier.isPrivate(m.getModifiers()) || Modifier.isFinal(m.getModifiers())) return "a private or final member " + m.getName();
        }
        for (CommandLine sub : spec.subcommands().values()) {
            String why = unsupported(sub.getCommandSpec());
            if (why != null) return why;
        }
        return null;
    }

    /** Statements that build {@code spec} (and its subcommands) and return it. {@code parent}: the variable of the parent's object. */
    private String body(CommandSpec spec, String parent) throws Exception {
        StringBuilder b = new StringBuilder();
        String self = command(b, spec, parent);
        b.append("        return ").append(self).append(";\n");
        return b.toString();
    }

    /** Declares the command's object and spec; returns the spec's variable. */
    private String command(StringBuilder b, CommandSpec spec, String parent) throws Exception {
        Object user = spec.userObject();
        String object = "o" + (++vars), s = "s" + vars;
        b.append("        var ").append(object).append(" = ").append(newInstance(user.getClass())).append(";\n");
        b.append("        ").append(SPEC).append(' ').append(s).append(" = ").append(SPEC).append(".wrapWithoutInspection(").append(object).append(", CommandFactory.INSTANCE);\n");
        b.append("        ").append(s).append(".name(").append(literal(spec.name())).append(");\n");
        if (spec.aliases().length > 0) b.append("        ").append(s).append(".aliases(").append(literals(spec.aliases())).append(");\n");
        if (spec.mixinStandardHelpOptions()) helpOptions(b, s, spec.mixins().get("mixinStandardHelpOptions"));
        if (spec.versionProvider() != null) b.append("        ").append(s).append(".versionProvider(").append(newInstance(spec.versionProvider().getClass())).append(");\n");
        usage(b, s, spec.usageMessage());
        special(b, user.getClass(), object, s, s, parent);
        // Options in picocli's order; a mixin's come in with the mixin, where its first option stood.
        Map<OptionSpec, String> mixinOf = new IdentityHashMap<>();
        spec.mixins().forEach((name, m) -> m.options().forEach(o -> mixinOf.put(o, name)));
        Set<String> added = new LinkedHashSet<>();
        for (OptionSpec o : spec.options()) {
            String mixin = mixinOf.get(o);
            if (mixin == null) {
                b.append("        ").append(s).append(".addOption(").append(option(o, object)).append(");\n");
            } else if (!mixin.equals("mixinStandardHelpOptions") && added.add(mixin)) {
                mixin(b, spec, mixin, object, s);
            }
        }
        for (String name : spec.mixins().keySet()) {
            if (!name.equals("mixinStandardHelpOptions") && !added.contains(name)) mixin(b, spec, name, object, s); // a mixin without options
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!isFromMixin(spec, p)) b.append("        ").append(s).append(".addPositional(").append(positional(p, object)).append(");\n");
        }
        for (var e : spec.subcommands().entrySet()) {
            if (e.getValue().getCommandSpec().parent() != spec) continue;
            String sub = command(b, e.getValue().getCommandSpec(), object);
            b.append("        ").append(s).append(".addSubcommand(").append(literal(e.getKey())).append(", ").append(sub).append(");\n");
        }
        return s;
    }

    private static boolean isFromMixin(CommandSpec spec, PositionalParamSpec p) {
        return spec.mixins().values().stream().anyMatch(m -> m.positionalParameters().contains(p));
    }

    private void mixin(StringBuilder b, CommandSpec spec, String name, String object, String s) throws Exception {
        CommandSpec m = spec.mixins().get(name);
        Field field = field(spec.userObject().getClass(), name);
        String mo = "o" + (++vars), ms = "s" + vars;
        b.append("        var ").append(mo).append(" = ").append(newInstance(m.userObject().getClass())).append(";\n");
        b.append("        ").append(object).append('.').append(field.getName()).append(" = ").append(mo).append(";\n");
        b.append("        ").append(SPEC).append(' ').append(ms).append(" = ").append(SPEC).append(".wrapWithoutInspection(").append(mo).append(", CommandFactory.INSTANCE);\n");
        special(b, m.userObject().getClass(), mo, ms, s, null);
        for (OptionSpec o : m.options()) b.append("        ").append(ms).append(".addOption(").append(option(o, mo)).append(");\n");
        for (PositionalParamSpec p : m.positionalParameters()) b.append("        ").append(ms).append(".addPositional(").append(positional(p, mo)).append(");\n");
        b.append("        ").append(s).append(".addMixin(").append(literal(name)).append(", ").append(ms).append(");\n");
    }

    /** The {@code @Spec} and {@code @ParentCommand} fields of {@code type}'s object. */
    private static void special(StringBuilder b, Class<?> type, String object, String self, String mixee, String parent) {
        for (Field f : fields(type)) {
            CommandLine.Spec spec = f.getAnnotation(CommandLine.Spec.class);
            if (spec != null) {
                b.append("        ").append(object).append('.').append(f.getName()).append(" = ")
                        .append(spec.value() == CommandLine.Spec.Target.MIXEE ? mixee : self).append(";\n");
            }
            if (f.isAnnotationPresent(CommandLine.ParentCommand.class)) {
                if (parent == null) throw new IllegalStateException(type.getName() + "." + f.getName() + ": @ParentCommand without a parent");
                b.append("        ").append(object).append('.').append(f.getName()).append(" = (").append(f.getType().getCanonicalName()).append(") ")
                        .append(parent).append(";\n");
            }
        }
    }

    /**
     * {@code --help} and {@code --version} as the mixin {@code mixinStandardHelpOptions(true)} adds, made here:
     * picocli makes that mixin by reading the annotations of its own class.
     */
    private void helpOptions(StringBuilder b, String s, CommandSpec help) {
        String h = "h" + (++vars);
        b.append("        ").append(SPEC).append(' ').append(h).append(" = ").append(SPEC).append(".wrapWithoutInspection(new Flag(), CommandFactory.INSTANCE);\n");
        for (OptionSpec o : help.options()) {
            b.append("        { var flag = new Flag(); ").append(h).append(".addOption(").append(OPTION).append(".builder(new String[] {")
                    .append(literals(o.names())).append("})").append(o.usageHelp() ? ".usageHelp(true)" : "").append(o.versionHelp() ? ".versionHelp(true)" : "")
                    .append(".paramLabel(").append(literal(o.paramLabel())).append(").type(").append(o.type().getCanonicalName()).append(".class)")
                    .append(".descriptionKey(").append(literal(o.descriptionKey())).append(").description(").append(literals(o.description())).append(')')
                    .append(".getter(flag).setter(flag).initialValue(flag.get()).build()); }\n");
        }
        b.append("        ").append(s).append(".addMixin(\"mixinStandardHelpOptions\", ").append(h).append(");\n");
    }

    private static void usage(StringBuilder b, String s, CommandLine.Model.UsageMessageSpec u) {
        var defaults = CommandSpec.create().usageMessage();
        if (!Arrays.equals(u.description(), defaults.description())) b.append("        ").append(s).append(".usageMessage().description(").append(literals(u.description())).append(");\n");
        if (!Arrays.equals(u.header(), defaults.header())) b.append("        ").append(s).append(".usageMessage().header(").append(literals(u.header())).append(");\n");
        if (!Arrays.equals(u.footer(), defaults.footer())) b.append("        ").append(s).append(".usageMessage().footer(").append(literals(u.footer())).append(");\n");
        if (u.hidden()) b.append("        ").append(s).append(".usageMessage().hidden(true);\n");
    }

    private String option(OptionSpec o, String object) throws Exception {
        StringBuilder b = new StringBuilder(OPTION + ".builder(new String[] {" + literals(o.names()) + "})");
        common(b, o, object);
        if (o.negatable()) b.append(".negatable(true)");
        if (o.order() != -1) b.append(".order(").append(o.order()).append(')'); // -1: picocli's default order (not public)
        if (o.fallbackValue() != null && !o.fallbackValue().isEmpty()) b.append(".fallbackValue(").append(literal(o.fallbackValue())).append(')');
        return b.append(".build()").toString();
    }

    private String positional(PositionalParamSpec p, String object) throws Exception {
        StringBuilder b = new StringBuilder(POSITIONAL + ".builder()");
        if (!p.index().isUnspecified()) b.append(".index(").append(literal(p.index().originalValue())).append(')');
        common(b, p, object);
        return b.append(".build()").toString();
    }

    /** What options and positional parameters share: labels, arity, type, text, defaults, converters and the field. */
    private void common(StringBuilder b, ArgSpec a, String object) {
        Member member = (Member) a.userObject();
        int number = bindings.size();
        bindings.add(new Binding(number, member));
        b.append(".paramLabel(").append(literal(a.paramLabel())).append(')');
        if (a.hideParamSyntax()) b.append(".hideParamSyntax(true)");
        if (!a.arity().isUnspecified()) b.append(".arity(").append(literal(a.arity().originalValue())).append(')');
        b.append(".type(").append(a.type().getCanonicalName()).append(".class)");
        if (a.auxiliaryTypes().length > 0) {
            b.append(".auxiliaryTypes(").append(Arrays.stream(a.auxiliaryTypes()).map(t -> t.getCanonicalName() + ".class").collect(Collectors.joining(", "))).append(')');
        }
        if (a.description().length > 0) b.append(".description(").append(literals(a.description())).append(')');
        if (a.descriptionKey() != null) b.append(".descriptionKey(").append(literal(a.descriptionKey())).append(')');
        if (a.required()) b.append(".required(true)");
        if (a.hidden()) b.append(".hidden(true)");
        if (a.defaultValue() != null) b.append(".defaultValue(").append(literal(a.defaultValue())).append(')');
        if (a.splitRegex() != null && !a.splitRegex().isEmpty()) b.append(".splitRegex(").append(literal(a.splitRegex())).append(')');
        if (a.showDefaultValue() != CommandLine.Help.Visibility.ON_DEMAND) {
            b.append(".showDefaultValue(picocli.CommandLine.Help.Visibility.").append(a.showDefaultValue().name()).append(')');
        }
        var annotated = (java.lang.reflect.AnnotatedElement) member;
        CommandLine.Option option = annotated.getAnnotation(CommandLine.Option.class);
        CommandLine.Parameters parameters = annotated.getAnnotation(CommandLine.Parameters.class);
        Class<?>[] converters = option != null ? option.converter() : parameters != null ? parameters.converter() : new Class<?>[0];
        if (converters.length > 0) {
            b.append(".converters(").append(Arrays.stream(converters).map(c -> newInstance(c)).collect(Collectors.joining(", "))).append(')');
        }
        String binding = "new Binding(" + object + ", " + number + ")";
        b.append(".getter(").append(binding).append(").setter(").append(binding).append(')');
        // A field's value as the object was made is what picocli puts back before each parse; a setter method has none.
        if (member instanceof Field) b.append(".initialValue(").append(binding).append(".get())");
        else b.append(".hasInitialValue(false)");
    }

    /** One class for every field: a switch, no reflection. */
    private String bindingClass() {
        StringBuilder get = new StringBuilder(), set = new StringBuilder();
        for (Binding bd : bindings) {
            String owner = "((" + bd.member().getDeclaringClass().getCanonicalName() + ") object)." + bd.member().getName();
            if (bd.member() instanceof Field f) {
                get.append("                case ").append(bd.number()).append(" -> ").append(owner).append(";\n");
                set.append("                case ").append(bd.number()).append(" -> ").append(owner).append(" = (")
                        .append(boxed(f.getType(), f.getGenericType())).append(") value;\n");
            } else {
                Method m = (Method) bd.member(); // a setter: picocli calls it with each value; nothing to read back
                get.append("                case ").append(bd.number()).append(" -> null;\n");
                set.append("                case ").append(bd.number()).append(" -> ").append(owner).append("((")
                        .append(boxed(m.getParameterTypes()[0], m.getGenericParameterTypes()[0])).append(") value);\n");
            }
        }
        return """
                    /** The value of --help or --version. */
                    private static final class Flag implements picocli.CommandLine.Model.IGetter, picocli.CommandLine.Model.ISetter {
                        private Object value = Boolean.FALSE;

                        @Override
                        public <T> T get() {
                            return (T) value;
                        }

                        @Override
                        public <T> T set(T newValue) {
                            T old = (T) value;
                            value = newValue;
                            return old;
                        }
                    }

                    /** The field of an option or positional parameter, by number. */
                    private record Binding(Object object, int number) implements picocli.CommandLine.Model.IGetter, picocli.CommandLine.Model.ISetter {

                        @Override
                        public <T> T get() {
                            return (T) switch (number) {
                %s                default -> throw new IllegalStateException("no field " + number);
                            };
                        }

                        @Override
                        public <T> T set(T value) {
                            T old = get();
                            switch (number) {
                %s                default -> throw new IllegalStateException("no field " + number);
                            }
                            return old;
                        }
                    }
                """.formatted(get, set);
    }

    private static String boxed(Class<?> t, java.lang.reflect.Type generic) {
        if (!t.isPrimitive()) return generic.getTypeName().replace('$', '.');
        return switch (t.getName()) {
            case "int" -> "Integer";
            case "char" -> "Character";
            default -> Character.toUpperCase(t.getName().charAt(0)) + t.getName().substring(1);
        };
    }

    /** {@code new T()} where the constructor can be called from the package, else the factory. */
    private static String newInstance(Class<?> type) {
        try {
            Constructor<?> c = type.getDeclaredConstructor();
            boolean reachable = !Modifier.isPrivate(c.getModifiers()) && !Modifier.isPrivate(type.getModifiers())
                    && (type.getPackageName().equals(PACKAGE) || Modifier.isPublic(type.getModifiers()) && Modifier.isPublic(c.getModifiers()));
            if (reachable) return "new " + type.getCanonicalName() + "()";
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " has no constructor without arguments", e);
        }
        return "CommandFactory.INSTANCE.create(" + type.getCanonicalName() + ".class)";
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        return fields(type).stream().filter(f -> f.getName().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchFieldException(type.getName() + "." + name));
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> all = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) all.addAll(List.of(c.getDeclaredFields()));
        return all;
    }

    private static String javaName(String command) {
        StringBuilder b = new StringBuilder();
        for (String part : command.split("-")) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        return b.toString();
    }

    private static String literals(String[] values) {
        return Arrays.stream(values).map(CompileCommands::literal).collect(Collectors.joining(", "));
    }

    private static String literal(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"', '\\' -> b.append('\\').append(c);
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }
}
