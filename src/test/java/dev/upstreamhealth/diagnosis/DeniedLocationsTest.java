package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Fault;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ingress-nginx denies every location of an Ingress whose allowlist or basic auth it cannot set
 * up, and answers 503 itself while the app serves: the Overloaded message says so, rather than
 * send the reader to scale an app that is fine.
 */
class DeniedLocationsTest {
  private static final String ALLOWLIST = "nginx.ingress.kubernetes.io/allowlist-source-range";
  private static final String WHITELIST = "nginx.ingress.kubernetes.io/whitelist-source-range";
  private static final String AUTH_TYPE = "nginx.ingress.kubernetes.io/auth-type";
  private static final String AUTH_SECRET = "nginx.ingress.kubernetes.io/auth-secret";

  private static Verdict served503(SiteWorld world) {
    return world.probes(origin(http(503)), upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200)))
        .diagnose();
  }

  @Test
  void anEmptyAllowlistDeniesEveryPath() {
    Verdict verdict = served503(SiteWorld.healthy().withGateway().controllerConfigMap(Map.of())
        .ingressAnnotation(ALLOWLIST, ""));

    assertThat(verdict.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(verdict.reason()).isEqualTo("Overloaded");
    assertThat(verdict.message()).contains("; ingress-nginx answers 503 itself to every path of Ingress web/shop,"
        + " asking no backend, as annotation " + ALLOWLIST + " is empty");
  }

  /** Behind a controller not known as ingress-nginx the annotations may be leftovers another controller ignores. */
  @Test
  void behindAControllerNotKnownAsIngressNginxItIsSaidAsACondition() {
    Verdict verdict = served503(SiteWorld.healthy().ingressAnnotation(ALLOWLIST, " "));

    assertThat(verdict.message()).contains("; if ingress-nginx serves it, it answers 503 itself to every path of"
        + " Ingress web/shop, asking no backend, as annotation " + ALLOWLIST + " is empty");
  }

  /** The older name's value stands in for the empty newer one: nothing is denied. */
  @Test
  void anEmptyAllowlistBesideAnOlderListDeniesNothing() {
    Verdict verdict = served503(SiteWorld.healthy().ingressAnnotation(ALLOWLIST, "")
        .ingressAnnotation(WHITELIST, "173.245.48.0/20"));

    assertThat(verdict.message()).doesNotContain("itself");
  }

  @Test
  void basicAuthWithoutASecretDeniesEveryPath() {
    Verdict verdict = served503(SiteWorld.healthy().ingressAnnotation(AUTH_TYPE, "basic"));

    assertThat(verdict.message()).contains("every path of Ingress web/shop", "as its auth-type basic names no Secret");
  }

  @Test
  void basicAuthWithASecretOfAnotherNamespaceDeniesEveryPath() {
    Verdict verdict = served503(SiteWorld.healthy().ingressAnnotation(AUTH_TYPE, "basic")
        .ingressAnnotation(AUTH_SECRET, "auth/shop-users"));

    assertThat(verdict.message()).contains("as its auth-secret auth/shop-users is in another namespace");
  }

  /** The Secret itself is not read here: its absence is what to check, said as such. */
  @Test
  void basicAuthWithASecretOfItsNamespaceIsWhatToCheck() {
    Verdict verdict = served503(SiteWorld.healthy().ingressAnnotation(AUTH_TYPE, "basic")
        .ingressAnnotation(AUTH_SECRET, "shop-users"));

    assertThat(verdict.reason()).isEqualTo("Overloaded");
    assertThat(verdict.message()).contains("; if Secret web/shop-users (annotation " + AUTH_SECRET
        + ", auth-type basic) does not exist or is not synced yet, ingress-nginx answers 503 itself");
  }

  @Test
  void anIngressWithNeitherSaysNothingOfIt() {
    Verdict verdict = served503(SiteWorld.healthy().ingressAnnotation(WHITELIST, ""));

    assertThat(verdict.reason()).isEqualTo("Overloaded");
    assertThat(verdict.message()).doesNotContain("itself");
  }
}
