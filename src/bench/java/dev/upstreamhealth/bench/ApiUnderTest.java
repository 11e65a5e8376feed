package dev.upstreamhealth.bench;

import dev.upstreamhealth.bench.api.BenchApiServer;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/** Fabric8's mock server or the bench API server, each with the Site CRD and the nginx IngressClass. */
interface ApiUnderTest extends AutoCloseable {
  String name();

  KubernetesClient client();

  /** A client of its own for the operator, as in a cluster. */
  KubernetesClient newClient(String userAgent);

  @Override
  void close();

  static ApiUnderTest mock() {
    EmbeddedApiServer api = EmbeddedApiServer.start();
    return new ApiUnderTest() {
      public String name() {
        return "Fabric8 mock (CRUD)";
      }

      public KubernetesClient client() {
        return api.client();
      }

      public KubernetesClient newClient(String userAgent) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(api.client().getConfiguration())
            .withUserAgent(userAgent).build()).build();
      }

      public void close() {
        api.close();
      }
    };
  }

  static ApiUnderTest bench(Duration bookmarkInterval) {
    BenchApiServer server = BenchApiServer.start(bookmarkInterval);
    KubernetesClient client = clientOf(server.url(), "bench");
    client.apiextensions().v1().customResourceDefinitions().resource(EmbeddedApiServer.siteCrd()).create();
    client.network().v1().ingressClasses().resource(new IngressClassBuilder()
        .withNewMetadata().withName("nginx").endMetadata()
        .withNewSpec().withController("k8s.io/ingress-nginx").endSpec().build()).create();
    return new ApiUnderTest() {
      public String name() {
        return "bench API server";
      }

      public KubernetesClient client() {
        return client;
      }

      public KubernetesClient newClient(String userAgent) {
        return clientOf(server.url(), userAgent);
      }

      public void close() {
        client.close();
        server.close();
      }
    };
  }

  static KubernetesClient clientOf(String url, String userAgent) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default")
        .withUserAgent(userAgent).withRequestTimeout(30_000).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
