package dev.upstreamhealth.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upstreamhealth.loopback.LoopbackServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one nginx runner: a reload is live when it returns, and nginx's own words explain a failure. */
class NginxProcessTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static String answering(String address, int port, String body) {
    return "server { listen " + address + ":" + port + "; location / { return 200 \"" + body + "\"; } }";
  }

  private static String get(NginxProcess nginx) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + nginx.address() + ":" + nginx.port() + "/"))
        .timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void aReloadIsServedWhenItReturnsAndARefusedOneLeavesTheOldConfigServing() throws Exception {
    String address = "127.0.0.201";
    int port = LoopbackServer.unusedPort(address);
    try (NginxProcess nginx = NginxProcess.start(address, port, answering(address, port, "first"))) {
      assertThat(get(nginx)).isEqualTo("first");

      nginx.reload(answering(address, port, "second"));
      assertThat(get(nginx)).as("no worker of the old config answers after reload returns").isEqualTo("second");

      assertThatThrownBy(() -> nginx.reload("no_such_directive on;"))
          .hasMessageContaining("reload failed").hasMessageContaining("unknown directive \"no_such_directive\"");
      assertThat(get(nginx)).isEqualTo("second");
    }
  }

  @Test
  void aConfigNginxRefusesFailsTheStartWithNginxsOwnMessage() {
    String address = "127.0.0.202";
    int port = LoopbackServer.unusedPort(address);
    assertThatThrownBy(() -> NginxProcess.start(address, port, answering(address, port, "x") + "\nno_such_directive on;"))
        .hasMessageContaining("nginx exited").hasMessageContaining("unknown directive \"no_such_directive\"");
  }
}
