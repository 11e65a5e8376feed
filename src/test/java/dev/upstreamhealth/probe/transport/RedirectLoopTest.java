package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which redirects send a CDN fetching over http back to the same address, and which lead elsewhere. */
class RedirectLoopTest {
  private static final ProbeTarget ORIGIN = target(ProbeLayer.ORIGIN, Scheme.HTTP, "/shop?page=2");

  private static ProbeTarget target(ProbeLayer layer, Scheme scheme, String path) {
    return new ProbeTarget(layer, "203.0.113.7", scheme.defaultPort(), scheme, "shop.example.com", path,
        Duration.ofSeconds(5), "");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://shop.example.com/shop?page=2",
      "HTTPS://Shop.Example.COM/shop?page=2",
      "https://shop.example.com:443/shop?page=2",
      "https://shop.example.com/shop?page=2#top"})
  void theSameAddressOverHttpsIsALoop(String location) {
    assertThat(RedirectLoop.backToItself(ORIGIN, location)).isTrue();
  }

  /** Each near miss beside the loop it misses: a relative Location, another host, port, path or query. */
  @ParameterizedTest
  @CsvSource({
      "https://shop.example.com/shop?page=2, /shop?page=2",
      "https://shop.example.com/shop?page=2, //shop.example.com/shop?page=2",
      "https://shop.example.com/shop?page=2, http://shop.example.com/shop?page=2",
      "https://shop.example.com/shop?page=2, https://www.shop.example.com/shop?page=2",
      "https://shop.example.com/shop?page=2, https://shop.example.com.evil.test/shop?page=2",
      "https://shop.example.com:443/shop?page=2, https://shop.example.com:8443/shop?page=2",
      "https://shop.example.com/shop?page=2, https://user@shop.example.com/shop?page=2",
      "https://shop.example.com/shop?page=2, https://shop.example.com/shop",
      "https://shop.example.com/shop?page=2, https://shop.example.com/shop?page=3",
      "https://shop.example.com/shop?page=2, https://shop.example.com/SHOP?page=2",
      "https://shop.example.com/shop?page=2, https://shop.example.com/login",
      "https://shop.example.com/shop?page=2, https://shop.example.com",
      "https://shop.example.com/shop?page=2, ''"})
  void anotherHostPortPathOrQueryLeadsElsewhere(String loop, String elsewhere) {
    assertThat(RedirectLoop.backToItself(ORIGIN, loop)).isTrue();
    assertThat(RedirectLoop.backToItself(ORIGIN, elsewhere)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "/, https://shop.example.com",
      "/, https://shop.example.com/",
      "'', https://shop.example.com/",
      "/?a=1, https://shop.example.com?a=1"})
  void theRootIsAskedWithOrWithoutItsSlash(String path, String location) {
    assertThat(RedirectLoop.backToItself(target(ProbeLayer.ORIGIN, Scheme.HTTP, path), location)).isTrue();
  }

  /**
   * ingress-nginx's ssl-redirect drops the request's trailing slash: /app/ goes to
   * https://host/app, and the CDN's http fetch of /app is sent to itself from then on. Only the
   * slash at the end goes; another path stays elsewhere.
   */
  @ParameterizedTest
  @CsvSource({
      "/app/, https://shop.example.com/app, https://shop.example.com/ap",
      "/app/, https://shop.example.com/app/, https://shop.example.com/app//",
      "/app/?a=1, https://shop.example.com/app/?a=1, https://shop.example.com/app?a=1"})
  void aTrailingSlashDroppedOnTheWayIsStillALoop(String path, String loop, String elsewhere) {
    ProbeTarget target = target(ProbeLayer.ORIGIN, Scheme.HTTP, path);
    assertThat(RedirectLoop.backToItself(target, loop)).isTrue();
    assertThat(RedirectLoop.backToItself(target, elsewhere)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void aRedirectMayLoopOnlyForAnHttpProbeOfTheOriginOrTheGateway(int status) {
    assertThat(RedirectLoop.possible(ORIGIN, status)).isTrue();
    assertThat(RedirectLoop.possible(target(ProbeLayer.GATEWAY, Scheme.HTTP, "/"), status)).isTrue();
    assertThat(RedirectLoop.possible(target(ProbeLayer.ORIGIN, Scheme.HTTPS, "/"), status)).isFalse();
    assertThat(RedirectLoop.possible(target(ProbeLayer.GATEWAY, Scheme.HTTPS, "/"), status)).isFalse();
    assertThat(RedirectLoop.possible(target(ProbeLayer.UPSTREAM, Scheme.HTTP, "/"), status)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 204, 300, 304, 400, 404, 503})
  void anAnswerThatIsNoRedirectNeverLoops(int status) {
    assertThat(RedirectLoop.possible(ORIGIN, 308)).isTrue();
    assertThat(RedirectLoop.possible(ORIGIN, status)).isFalse();
  }
}
