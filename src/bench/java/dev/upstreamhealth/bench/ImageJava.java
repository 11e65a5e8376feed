package dev.upstreamhealth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The Java the image runs, for the bench's operator and prober processes: the JDK the image's
 * runtime is linked from ({@code -Dbench.java}, the pom's {@code image.jdk}) with the flags that
 * runtime carries from {@code src/image/java25.options}, or, where that JDK is missing, the
 * bench's own, as the image build falls back to the build's JDK (src/image/build-root.sh).
 */
final class ImageJava {
  private static final Path HOME = chooseHome();
  /** Read once: every process the bench starts gets the same. */
  private static final List<String> RUNTIME_FLAGS = readRuntimeFlags();

  private ImageJava() {}

  static String bin(String tool) {
    return HOME.resolve("bin").resolve(tool).toString();
  }

  /** {@code java} and the flags the image's runtime carries, to start a process with. */
  static List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(bin("java"));
    command.addAll(runtimeFlags());
    return command;
  }

  /** What build-root.sh bakes into a runtime of Java 25 or newer; none for an older one. */
  static List<String> runtimeFlags() {
    return RUNTIME_FLAGS;
  }

  private static List<String> readRuntimeFlags() {
    if (feature() < 25) {
      return List.of();
    }
    Path options = Path.of(System.getProperty("bench.imageOptions", "src/image/java25.options"));
    try {
      return Files.readAllLines(options).stream().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the image's runtime flags", e);
    }
  }

  /** The runtime's feature version (17, 25), from its release file. */
  private static int feature() {
    String version = release().getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
    return Integer.parseInt(version.split("[.+-]")[0]);
  }

  private static Properties release() {
    Properties release = new Properties();
    try (var in = Files.newBufferedReader(HOME.resolve("release"))) {
      release.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + HOME.resolve("release"), e);
    }
    return release;
  }

  private static Path chooseHome() {
    String wanted = System.getProperty("bench.java", "");
    if (!wanted.isBlank() && Files.isExecutable(Path.of(wanted, "bin", "java"))) {
      return Path.of(wanted);
    }
    if (!wanted.isBlank()) {
      System.out.println("[bench] no JDK at " + wanted + ": the operator runs on the bench's own, " + System.getProperty("java.home"));
    }
    return Path.of(System.getProperty("java.home"));
  }
}
