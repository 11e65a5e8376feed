package dev.upstreamhealth.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rooms of src/main and who may enter them, read from the import lines of the sources: the
 * diagnosis stays a pure function (no client, transport or runtime), the API model is only
 * the model, and the demo is a leaf that only the command line starts.
 */
class LayeringTest {
  private static final Path MAIN = Path.of("src", "main", "java", "dev", "upstreamhealth");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?([\\w.]+)");

  record Import(Path file, String name) {
    @Override
    public String toString() {
      return MAIN.relativize(file) + " imports " + name;
    }
  }

  @Test
  void diagnosisReadsSnapshotsAndDoesNoIo() {
    assertThat(importsOf("diagnosis")).filteredOn(i -> startsWithAny(i.name(),
            "io.fabric8.kubernetes.client", "io.javaoperatorsdk", "io.netty", "io.micrometer", "java.net.http",
            "java.net.Socket", "java.io.File", "java.nio.file", "java.nio.channels",
            "dev.upstreamhealth.reconciler", "dev.upstreamhealth.runtime", "dev.upstreamhealth.status",
            "dev.upstreamhealth.metrics", "dev.upstreamhealth.demo", "dev.upstreamhealth.cli",
            "dev.upstreamhealth.loopback"))
        .isEmpty();
  }

  @Test
  void theApiPackageIsOnlyTheResourceModel() {
    assertThat(importsOf("api")).filteredOn(i -> !startsWithAny(i.name(),
            "com.fasterxml.jackson.annotation", "io.fabric8.generator.annotation", "io.fabric8.crd.generator.annotation",
            "io.fabric8.kubernetes.api.model", "io.fabric8.kubernetes.client.CustomResource",
            "io.fabric8.kubernetes.model.annotation", "java.util", "java.time", "dev.upstreamhealth.api"))
        .isEmpty();
  }

  @Test
  void probesKnowNothingOfKubernetesOrTheOperatorAroundThem() {
    assertThat(importsOf("probe")).filteredOn(i -> startsWithAny(i.name(),
            "io.fabric8", "io.javaoperatorsdk", "dev.upstreamhealth.reconciler", "dev.upstreamhealth.runtime",
            "dev.upstreamhealth.status", "dev.upstreamhealth.demo", "dev.upstreamhealth.cli"))
        .isEmpty();
  }

  @Test
  void onlyTheCommandLineStartsTheDemo() {
    List<Import> intoDemo = Stream.of("api", "diagnosis", "probe", "reconciler", "runtime", "status", "metrics", "loopback")
        .flatMap(room -> importsOf(room).stream())
        .filter(i -> i.name().startsWith("dev.upstreamhealth.demo"))
        .toList();
    assertThat(intoDemo).isEmpty();
  }

  @Test
  void noRoomIsMissedByTheseRules() throws IOException {
    try (Stream<Path> rooms = Files.list(MAIN)) {
      assertThat(rooms.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
          .as("a new package needs its rules here")
          .containsExactlyInAnyOrder("api", "cli", "demo", "diagnosis", "loopback", "metrics", "probe", "reconciler",
              "runtime", "status");
    }
  }

  private static List<Import> importsOf(String room) {
    Path dir = MAIN.resolve(room);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".java")).flatMap(LayeringTest::imports).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Import> imports(Path file) {
    try {
      Matcher m = IMPORT.matcher(Files.readString(file));
      return m.results().map(r -> new Import(file, r.group(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean startsWithAny(String name, String... prefixes) {
    return Stream.of(prefixes).anyMatch(name::startsWith);
  }
}
