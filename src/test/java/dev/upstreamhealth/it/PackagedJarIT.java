package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar users run, as a separate process, against an API server named by KUBECONFIG. */
class PackagedJarIT {
  @TempDir
  Path dir;

  @Test
  void reconcilesASiteAndStopsCleanlyOnSigterm() throws Exception {
    Path jar = Path.of(System.getProperty("operator.jar", "target/upstream-health-operator.jar"));
    assertThat(jar).exists();
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        LoopbackServer origin = LoopbackServer.http("127.0.0.90", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.91", 0, Behaviour.status(200))) {
      SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
      for (var object : shop.healthyWorld("127.0.0.90", origin.port(), "127.0.0.91", pod.port())) {
        api.client().resource(object).create();
      }
      Path log = dir.resolve("operator.log");
      ProcessBuilder command = new ProcessBuilder(javaBinary(), "-jar", jar.toString(), "--metrics-port", "0",
          "--probe-allow-loopback")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      command.environment().put("KUBECONFIG", kubeconfig(api.url()).toString());
      Process operator = command.start();
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          Site site = api.client().resources(Site.class).inNamespace("web").withName("shop").get();
          return site.getStatus() != null && "None".equals(site.getStatus().getFault());
        });
        assertThat(Files.readString(log)).contains("Site web/shop: None Healthy");
      } finally {
        operator.destroy(); // SIGTERM
      }
      assertThat(operator.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      assertThat(Files.readString(log)).contains("stopping");
      assertThat(operator.exitValue()).as("exit code after SIGTERM, log:%n%s", Files.readString(log))
          .isIn(0, 143);
    }
  }

  private Path kubeconfig(String url) throws IOException {
    String server = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: embedded
          cluster:
            server: %s
        users:
        - name: embedded
          user: {}
        contexts:
        - name: embedded
          context: {cluster: embedded, user: embedded, namespace: default}
        current-context: embedded
        """.formatted(server));
    return file;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
