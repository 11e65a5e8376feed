package dev.upstreamhealth.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real kubectl against the demo's embedded API server and the kubeconfig it writes; skipped without kubectl. */
class KubectlIT {
  static RunningDemo demo;
  static Path kubeconfig;
  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    assumeTrue(onPath("kubectl"), "kubectl is not on PATH: skipping the kubectl checks of the demo");
    demo = RunningDemo.start();
    kubeconfig = demo.writeKubeconfig(dir.resolve("kubeconfig"));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> demo.unsettled().isEmpty());
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && List.of(path.split(File.pathSeparator)).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }

  static String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kubectl", "--cache-dir", dir.resolve("cache").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("kubectl finishes").isTrue();
    assertThat(p.exitValue()).as("kubectl %s:%n%s", String.join(" ", args), out).isZero();
    return out;
  }

  @Test
  void getSitesShowsThePrinterColumns() throws Exception {
    String out = kubectl("get", "sites", "-A");
    assertThat(out.lines().findFirst().orElse("")).containsSubsequence("NAMESPACE", "NAME", "HOST", "FAULT", "REASON",
        "READY", "AGE");
    assertThat(out).containsPattern("demo-crashloop\\s+api\\s+api.example.com\\s+502\\s+UpstreamCrashLooping\\s+False")
        .containsPattern("demo-healthy\\s+shop\\s+shop.example.com\\s+None\\s+Healthy\\s+True");
  }

  @Test
  void describeSiteShowsItsStatusAndOnlyItsEvents() throws Exception {
    String out = kubectl("describe", "site", "-n", "demo-crashloop", "api");
    assertThat(out).contains("UpstreamCrashLooping", "CrashLoopBackOff").containsPattern("Warning\\s+UpstreamCrashLooping");
    assertThat(out).doesNotContain("ConnectionRefused");
  }

  @Test
  void getEventsListsTheOperatorsEvents() throws Exception {
    String out = kubectl("get", "events", "-A");
    assertThat(out.lines().findFirst().orElse("")).containsSubsequence("NAMESPACE", "LAST SEEN", "TYPE", "REASON",
        "OBJECT", "MESSAGE");
    assertThat(out).containsPattern("Warning\\s+ConnectionRefused\\s+site/blog");
  }

  @Test
  void shortNamesAndBuiltInKindsResolve() throws Exception {
    assertThat(kubectl("get", "deploy", "-n", "demo-scaled-to-zero")).contains("docs-web");
    assertThat(kubectl("get", "ns")).contains("demo-partial");
  }
}
