package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An informer that cannot list keeps the operator unready until it can. */
class ReadinessIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readyzNamesTheInformerThatCannotStartUntilItRecovers() throws Exception {
    FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher();
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        dispatcher, false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    try (KubernetesClient client = server.createClient()) {
      client.apiextensions().v1().customResourceDefinitions().resource(EmbeddedApiServer.siteCrd()).create();
      // NetworkPolicies cannot be listed for a while, as while RBAC is still being applied.
      dispatcher.fail(r -> "GET".equals(r.getMethod()) && r.getPath().contains("/networkpolicies"), 403, 3);
      CompletableFuture<UpstreamHealthOperator> starting = CompletableFuture.supplyAsync(() ->
          UpstreamHealthOperator.start(client, OperatorOptions.defaults().but(b -> b.metricsPort = port), List.of()));
      try {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> get(readyz).statusCode() == 503);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(readyz).statusCode() == 200);
        assertThat(dispatcher.injected()).isEqualTo(3);
      } finally {
        starting.get().close();
      }
    } finally {
      server.destroy();
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
