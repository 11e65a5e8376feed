package dev.upstreamhealth.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rooms of src/main and who may enter them, read from the import lines of the sources: the
 * diagnosis stays a pure function (no client, transport or runtime), the API model is only
 * the model, the probe transport sits behind {@code Prober}, the demo is a leaf that only the
 * command line starts, and no test kit reaches src/main.
 */
class LayeringTest {
  private static final Path MAIN = Path.of("src", "main", "java", "dev", "upstreamhealth");
  private static final List<Path> TEST_KIT = List.of(Path.of("src", "test", "java"), Path.of("src", "bench", "java"));
  private static final String TRANSPORT = "dev.upstreamhealth.probe.transport";
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
            "dev.upstreamhealth.metrics", "dev.upstreamhealth.demo", "dev.upstreamhealth.cli", TRANSPORT))
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

  /** Gateway API kinds the client has no model for: the model alone, like the API package. */
  @Test
  void theGatewayApiPackageIsOnlyAResourceModel() {
    assertThat(importsOf("gatewayapi")).filteredOn(i -> !startsWithAny(i.name(),
            "com.fasterxml.jackson.annotation", "com.fasterxml.jackson.databind.JsonDeserializer",
            "com.fasterxml.jackson.databind.annotation", "io.fabric8.kubernetes.api.model",
            "io.fabric8.kubernetes.model.annotation", "java.util"))
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
    List<Import> intoDemo = roomsExcept("demo", "cli").stream()
        .flatMap(room -> importsOf(room).stream())
        .filter(i -> i.name().startsWith("dev.upstreamhealth.demo"))
        .toList();
    assertThat(intoDemo).isEmpty();
  }

  @Test
  void theProbeTransportIsReachedOnlyThroughProberAndWiredOnlyByTheRuntime() {
    List<Import> intoTransport = Stream.concat(
            roomsExcept("runtime", "probe").stream().flatMap(room -> importsOf(room).stream()),
            importsOf("probe").stream().filter(i -> !i.file().startsWith(MAIN.resolve("probe").resolve("transport"))))
        .filter(i -> i.name().startsWith(TRANSPORT))
        .toList();
    assertThat(intoTransport).as("the scheduler and the rest of the operator know only the Prober interface")
        .isEmpty();
  }

  @Test
  void noTestKitClassIsImportedByTheOperator() {
    Set<String> testKit = TEST_KIT.stream().flatMap(LayeringTest::classNames).collect(Collectors.toSet());
    assertThat(testKit).as("the test kit is found").contains("dev.upstreamhealth.loopback.LoopbackServer");
    assertThat(importsOf("").stream().filter(i -> testKit.contains(i.name())).toList()).isEmpty();
  }

  @Test
  void generateReadsTheClusterAndStartsNothing() {
    assertThat(importsOf("generate")).filteredOn(i -> startsWithAny(i.name(),
            "io.javaoperatorsdk", "io.netty", "dev.upstreamhealth.reconciler", "dev.upstreamhealth.runtime",
            "dev.upstreamhealth.status", "dev.upstreamhealth.metrics", "dev.upstreamhealth.probe",
            "dev.upstreamhealth.demo", "dev.upstreamhealth.loopback", "dev.upstreamhealth.cli"))
        .isEmpty();
  }

  @Test
  void noRoomIsMissedByTheseRules() throws IOException {
    try (Stream<Path> rooms = Files.list(MAIN)) {
      assertThat(rooms.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
          .as("a new package needs its rules here")
          .containsExactlyInAnyOrder(ROOMS.toArray(String[]::new));
    }
  }

  private static final List<String> ROOMS = List.of("api", "cli", "demo", "diagnosis", "gatewayapi", "generate",
      "metrics", "probe", "reconciler", "runtime", "status");

  private static List<String> roomsExcept(String... excluded) {
    return ROOMS.stream().filter(room -> !List.of(excluded).contains(room)).toList();
  }

  /** The fully qualified names of the top-level classes under a source root. */
  private static Stream<String> classNames(Path root) {
    if (!Files.isDirectory(root)) {
      return Stream.empty();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java"))
          .map(f -> root.relativize(f).toString().replace(".java", "").replace(File.separatorChar, '.'))
          .toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
