package dev.upstreamhealth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.gateway.IngressNginxGateway.Location;
import dev.upstreamhealth.gateway.IngressNginxGateway.Server;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test gateway answers as an ingress controller does: proxied, 503 without endpoints, 404 for no server. */
class IngressNginxGatewayTest {
  @Test
  void proxiesToEndpointsAndAnswers503WithoutAny() {
    try (LoopbackServer pod = LoopbackServer.http("127.0.0.52", 0, Behaviour.status(200));
        IngressNginxGateway nginx = IngressNginxGateway.start("127.0.0.51")) {
      nginx.serve(List.of(
          new Server("shop.example.com", List.of(
              new Location("/", List.of("127.0.0.52:" + pod.port())),
              new Location("/api", List.of()))),
          new Server("*.example.com", List.of(new Location("/", List.of())))));

      assertThat(nginx.get("shop.example.com", "/").status()).isEqualTo(200);
      assertThat(pod.requests()).isEqualTo(1);
      assertThat(nginx.get("shop.example.com", "/api/orders").status()).isEqualTo(503);
      assertThat(nginx.get("blog.example.com", "/").status()).isEqualTo(503);
      assertThat(nginx.get("example.org", "/").status()).isEqualTo(404);
      assertThat(pod.requests()).as("only the routed request reached the pod").isEqualTo(1);

      nginx.serve(List.of(new Server("shop.example.com", List.of(new Location("/", List.of())))));
      assertThat(nginx.get("shop.example.com", "/").status()).isEqualTo(503);
    }
  }

  /** A server-alias name is answered by its server, as its host is; a name no server lists is not. */
  @Test
  void answersAServerAliasAsItsServersHost() {
    try (LoopbackServer pod = LoopbackServer.http("127.0.0.52", 0, Behaviour.status(200));
        IngressNginxGateway nginx = IngressNginxGateway.start("127.0.0.51")) {
      nginx.serve(List.of(new Server("shop.example.com", List.of(new Location("/", List.of("127.0.0.52:" + pod.port()))),
          List.of("shop.example.org", "~^www\\d+\\.example\\.net$"))));

      assertThat(nginx.get("shop.example.org", "/").status()).isEqualTo(200);
      assertThat(nginx.get("www2.example.net", "/").status()).as("the regex alias").isEqualTo(200);
      assertThat(nginx.get("blog.example.org", "/").status()).as("no server names it").isEqualTo(404);
      assertThat(pod.requests()).isEqualTo(2);
    }
  }

  /**
   * nginx takes an upstream's head that fills its proxy_buffer_size exactly and answers its own 502
   * for one byte more ("upstream sent too big header"): what the diagnosis compares a probe's head
   * size against.
   */
  @Test
  void answersItsOwn502ForAHeadOneByteOverTheBuffer() {
    try (LoopbackServer pod = LoopbackServer.http("127.0.0.52", 0, Behaviour.headOf(4096));
        IngressNginxGateway nginx = IngressNginxGateway.start("127.0.0.51")) {
      nginx.serve(List.of(new Server("shop.example.com", List.of(
          new Location("/", List.of("127.0.0.52:" + pod.port()), List.of(), "4k")))));

      assertThat(nginx.get("shop.example.com", "/").status()).as("a head of 4,096 bytes").isEqualTo(200);
      pod.behave(Behaviour.headOf(4097));
      IngressNginxGateway.Answer over = nginx.get("shop.example.com", "/");
      assertThat(over.status()).as("a head of 4,097 bytes").isEqualTo(502);
      assertThat(over.body()).as("nginx's own page").contains("<center>nginx");
    }
  }
}
