package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.diagnosis.SpecProblems;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The examples users copy are valid Sites, and the operator reconciles them as they are. */
class ExamplesIT {
  @Test
  void everyExampleIsAcceptedAndReconciled() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(Path.of("examples"))) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(4);
    try (OperatorHarness harness = OperatorHarness.startWithGatewayApi(List.of())) {
      for (Path file : files) {
        Site site = Serialization.unmarshal(Files.readString(file), Site.class);
        assertThat(SpecProblems.of(site.getSpec())).as(file.toString()).isEmpty();
        harness.client.resource(site).create();
      }
      for (Path file : files) {
        Site site = Serialization.unmarshal(Files.readString(file), Site.class);
        // No Ingress or HTTPRoute exists on the empty API server: each Site must say so, naming it.
        boolean viaRoute = site.getSpec().getOrigin().getHttpRouteName() != null;
        Site seen = harness.awaitFault(site.getMetadata().getNamespace(), site.getMetadata().getName(),
            "Other", viaRoute ? "RouteNotFound" : "IngressNotFound");
        assertThat(seen.getStatus().getMessage()).contains(viaRoute
            ? "HTTPRoute web/" + site.getSpec().getOrigin().getHttpRouteName()
            : site.getSpec().getOrigin().getIngressName());
      }
    }
  }
}
