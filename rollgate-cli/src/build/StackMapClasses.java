import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * A build step (JDK 24+, run by rollgate-cli's pom as a source file): copies the classes of a jar
 * compiled for Java 5 (picocli's) into a class directory as Java 8 class files with stack maps,
 * the same code otherwise. The JVM's ahead-of-time cache cannot hold a class older than Java 6
 * (it is verified by type inference at each start), and picocli's 150 classes loaded and verified
 * from the jar were half of a short command's 0.45 s.
 *
 * <p>Usage: {@code java StackMapClasses.java JAR CLASS_DIR}. A class the JDK cannot re-emit is
 * copied as it was, and said.
 */
public final class StackMapClasses {

    private static final int JAVA_6 = 50, JAVA_8 = 52;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) throw new IllegalArgumentException("usage: StackMapClasses JAR CLASS_DIR");
        Path jar = Path.of(args[0]), out = Path.of(args[1]);
        // Stack maps need each class's super class: the JDK's own, else this jar's.
        var loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        var classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                        .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
        ClassTransform toJava8 = (builder, element) -> builder.with(
                element instanceof ClassFileVersion ? ClassFileVersion.of(JAVA_8, 0) : element);
        int upgraded = 0, kept = 0;
        try (var in = new JarFile(jar.toFile())) {
            for (var entry : in.stream().toList()) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.contains("module-info") || name.startsWith("META-INF/")) continue;
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                ClassModel model = classFile.parse(bytes);
                if (model.majorVersion() < JAVA_6) {
                    try {
                        bytes = classFile.transformClass(model,
                                toJava8.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
                        upgraded++;
                    } catch (IllegalArgumentException | IllegalStateException e) {
                        System.out.println("StackMapClasses: kept " + name + " as it was: " + e.getMessage());
                        kept++;
                    }
                }
                Path target = out.resolve(name);
                Files.createDirectories(target.getParent());
                Files.write(target, bytes);
            }
        }
        System.out.println("StackMapClasses: " + upgraded + " classes of " + jar.getFileName() + " re-emitted for Java 8, "
                + kept + " kept as they were");
    }
}
