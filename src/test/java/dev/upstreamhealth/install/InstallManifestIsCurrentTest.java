package dev.upstreamhealth.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The committed dist/install.yaml is what the chart renders now. After a chart (or CRD) change,
 * regenerate it with
 * {@code mvn -q process-test-classes surefire:test -Dtest=InstallManifestIsCurrentTest -Dinstall.write=true}.
 */
class InstallManifestIsCurrentTest {
  static final String REGENERATE = "mvn -q process-test-classes surefire:test -Dtest=InstallManifestIsCurrentTest"
      + " -Dinstall.write=true";

  @Test
  void committedFileIsTheChartsDefaultRender() throws IOException {
    String rendered = InstallManifest.render();
    if (Boolean.getBoolean("install.write")) {
      Files.createDirectories(InstallManifest.FILE.toAbsolutePath().getParent());
      Files.writeString(InstallManifest.FILE, rendered);
    }
    String committed = Files.exists(InstallManifest.FILE) ? Files.readString(InstallManifest.FILE) : "";

    // The first differing line, not two whole files: enough to see what drifted.
    assertThat(firstDifference(committed, rendered))
        .as("%s is not the chart's current render; regenerate it with: %s", InstallManifest.FILE, REGENERATE)
        .isEmpty();
  }

  private static Optional<String> firstDifference(String committed, String rendered) {
    List<String> was = committed.lines().toList();
    List<String> is = rendered.lines().toList();
    for (int i = 0; i < Math.max(was.size(), is.size()); i++) {
      String a = i < was.size() ? was.get(i) : "(end of file)";
      String b = i < is.size() ? is.get(i) : "(end of file)";
      if (!a.equals(b)) {
        return Optional.of("line " + (i + 1) + ": committed \"" + a + "\", rendered \"" + b + "\"");
      }
    }
    return committed.equals(rendered) ? Optional.empty() : Optional.of("line endings differ");
  }
}
