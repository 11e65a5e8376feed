package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An informer that cannot list keeps the operator unready until it can. */
class ReadinessIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readyzStaysUnreadyUntilEveryInformerCanList() throws Exception {
    FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher();
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    try (EmbeddedApiServer api = EmbeddedApiServer.start(dispatcher)) {
      KubernetesClient client = api.client();
      // NetworkPolicies cannot be listed for a while, as while RBAC is still being applied.
      dispatcher.fail(r -> "GET".equals(r.getMethod()) && r.getPath().contains("/networkpolicies"), 403, 3);
      CompletableFuture<UpstreamHealthOperator> starting = CompletableFuture.supplyAsync(() ->
          UpstreamHealthOperator.start(client, OperatorOptions.defaults().but(b -> {
            b.metricsPort = port;
            b.probeAllowLoopback = true;
          }), List.of()));
      try {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> get(readyz).statusCode() == 503);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(readyz).statusCode() == 200);
        assertThat(dispatcher.injected()).isEqualTo(3);
      } finally {
        starting.get().close();
      }
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
