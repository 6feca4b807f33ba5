package io.pgusers.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A build step of {@code mvn package} (not shipped): rewrites the class files of the shaded jar that are older
 * than Java 6 (picocli's, compiled for Java 5) as Java 8 class files, the same code with its stack map frames
 * computed by ASM. The JVM can then verify them with the fast type-checking verifier and keep them in the
 * launcher's class-data archive: Java's CDS refuses class files older than version 50, and they are 170 of
 * the classes a one-shot command loads.
 *
 * <p>{@code java io.pgusers.build.ModernClassFiles JAR} rewrites {@code JAR} in place.
 */
public final class ModernClassFiles {
    private static final int JAVA_6 = 50;

    private ModernClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path rewritten = Files.createTempFile(jar.getParent(), "modern-", ".jar");
        java.util.List<String> names = new java.util.ArrayList<>();
        try (JarFile in = new JarFile(jar.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(rewritten))) {
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream data = in.getInputStream(entry)) {
                    bytes = data.readAllBytes();
                }
                if (entry.getName().endsWith(".class") && version(bytes) < JAVA_6) {
                    bytes = modern(bytes);
                    names.add(entry.getName().replace('/', '.').substring(0, entry.getName().length() - ".class".length()));
                }
                JarEntry copy = new JarEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        verify(rewritten, names);
        Files.setPosixFilePermissions(rewritten, Files.getPosixFilePermissions(jar)); // not the temp file's 0600
        Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("ModernClassFiles: " + names.size() + " class files older than Java 6 rewritten as Java 8"
                + " and verified, in " + jar);
    }

    /** Loads and initializes each rewritten class from the new jar: the JVM verifies it first, and a bad frame fails the build. */
    private static void verify(Path jar, java.util.List<String> names) throws IOException {
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String name : names) {
                try {
                    Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("rewritten " + name + " does not load: " + e, e);
                }
            }
        }
    }

    private static int version(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] modern(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

}
