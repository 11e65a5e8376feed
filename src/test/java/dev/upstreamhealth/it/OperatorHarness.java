package dev.upstreamhealth.it;

import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.loopback.CertificateAuthority;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The real operator against an embedded API server, and what a user would look at. */
final class OperatorHarness implements AutoCloseable {
  /**
   * How long a verdict may take to appear: a bound, never a wait. Test Sites probe every 2 s, up
   * to three of them may be needed (a threshold, a recovery after a changed plan), and a 2-core
   * runner with other builds on it can double that.
   */
  static final Duration SETTLE = Duration.ofSeconds(20);

  final EmbeddedApiServer api;
  final KubernetesClient client;
  final UpstreamHealthOperator operator;

  private OperatorHarness(EmbeddedApiServer api, UpstreamHealthOperator operator) {
    this.api = api;
    this.client = api.client();
    this.operator = operator;
  }

  /** {@code trusted}: CAs the probes' strict certificate checks trust, given as a user would (--probe-ca-file). */
  static OperatorHarness start(List<X509Certificate> trusted) {
    EmbeddedApiServer api = EmbeddedApiServer.start();
    return new OperatorHarness(api, UpstreamHealthOperator.start(api.operatorClient(), options(trusted)));
  }

  /** Every test server is on 127.0.0.x: loopback probes allowed, metrics on any free port. */
  private static final OperatorOptions TEST_OPTIONS = OperatorOptions.defaults().but(b -> {
    b.metricsPort = 0;
    b.probeAllowLoopback = true;
  });

  /** With the Gateway API's CRDs installed before the operator starts. */
  static OperatorHarness startWithGatewayApi(List<X509Certificate> trusted) {
    EmbeddedApiServer api = EmbeddedApiServer.start();
    api.installGatewayApi();
    return new OperatorHarness(api, UpstreamHealthOperator.start(api.operatorClient(), options(trusted)));
  }

  /** Watching only these namespaces, as {@code --namespaces} (the chart's {@code watchNamespaces}) does. */
  static OperatorHarness startWatching(Set<String> namespaces) {
    EmbeddedApiServer api = EmbeddedApiServer.start();
    return new OperatorHarness(api, UpstreamHealthOperator.start(api.operatorClient(),
        TEST_OPTIONS.but(b -> b.namespaces = namespaces)));
  }

  private static OperatorOptions options(List<X509Certificate> trusted) {
    if (trusted.isEmpty()) {
      return TEST_OPTIONS;
    }
    try {
      Path bundle = Files.createTempFile("probe-ca", ".pem");
      bundle.toFile().deleteOnExit();
      StringBuilder pem = new StringBuilder();
      for (X509Certificate certificate : trusted) {
        pem.append(CertificateAuthority.pem(certificate));
      }
      Files.writeString(bundle, pem);
      return TEST_OPTIONS.but(b -> b.probeCaFile = bundle.toString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the probes' CA bundle", e);
    }
  }

  /** Writes an object's status, as its controller would. */
  void writeStatus(HasMetadata object) {
    client.resource(object).updateStatus();
  }

  static OperatorHarness start() {
    return start(List.of());
  }

  void create(HasMetadata... objects) {
    for (HasMetadata o : objects) {
      client.resource(o).create();
    }
  }

  void replace(HasMetadata object) {
    client.resource(object).update();
  }

  Site site(String namespace, String name) {
    return client.resources(Site.class).inNamespace(namespace).withName(name).get();
  }

  /** Waits until the Site shows this fault and reason, and returns it. */
  Site awaitFault(String namespace, String name, String fault, String reason) {
    return await().atMost(SETTLE).pollInterval(Duration.ofMillis(25)).until(() -> site(namespace, name),
        s -> s != null && s.getStatus() != null && fault.equals(s.getStatus().getFault())
            && reason.equals(s.getStatus().getReason()));
  }

  /** Healthy, with the origin's and the upstreams' probes both concluded and shown. */
  Site awaitSettledHealthy(String namespace, String name) {
    awaitFault(namespace, name, "None", "Healthy");
    return await().atMost(SETTLE).pollInterval(Duration.ofMillis(25)).until(() -> site(namespace, name),
        s -> s.getStatus().getProbes().stream().map(p -> p.getLayer()).toList().containsAll(List.of("origin", "upstream")));
  }

  static Optional<Condition> condition(Site site, String type) {
    return site.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  List<Event> events(String namespace, String siteName) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && siteName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  @Override
  public void close() {
    operator.close();
    api.close();
  }
}
