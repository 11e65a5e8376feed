package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How long the gateway waits for an upstream's answer before it gives the visitor a 504, and
 * where that number comes from (so a message can say which knob to turn).
 */
public record GatewayReadTimeout(Duration value, String source) {
  static final String PROXY_READ_TIMEOUT = "nginx.ingress.kubernetes.io/proxy-read-timeout";
  /** ingress-nginx's default proxy-read-timeout. */
  static final Duration INGRESS_NGINX_DEFAULT = Duration.ofSeconds(60);

  /**
   * What a Gateway API implementation waits for an upstream where a route's rule declares no
   * {@code timeouts}, by its GatewayClass's controller: Envoy's route timeout of 15 s, which Envoy
   * Gateway and Contour keep, and nginx's proxy_read_timeout of 60 s in NGINX Gateway Fabric.
   * Istio turns Envoy's off, and others are not known: no default, no budget judged.
   */
  private static final Map<String, GatewayReadTimeout> IMPLEMENTATION_DEFAULTS = Map.of(
      "gateway.envoyproxy.io/gatewayclass-controller",
      new GatewayReadTimeout(Duration.ofSeconds(15), "Envoy Gateway's default request timeout; the rule sets no timeouts"),
      "projectcontour.io/gateway-controller",
      new GatewayReadTimeout(Duration.ofSeconds(15), "Contour's default response timeout; the rule sets no timeouts"),
      "gateway.nginx.org/nginx-gateway-controller",
      new GatewayReadTimeout(Duration.ofSeconds(60), "NGINX Gateway Fabric's default proxy_read_timeout; the rule sets no timeouts"));

  /**
   * The read timeout of the Site's route for the probe's path: an HTTPRoute's declared
   * {@code timeouts} of the rule that path reaches, else its implementation's default where it is
   * known (none where the rule declares "0s"), else ingress-nginx's for the Ingress.
   */
  public static Optional<GatewayReadTimeout> of(Snapshot s) {
    if (s.viaHttpRoute()) {
      Optional<GatewayReadTimeout> declared = s.routeReadTimeout().map(d -> new GatewayReadTimeout(d,
          "timeouts of the rule of " + s.routeDescription() + " that " + ProbedPath.of(s).path()
              + " reaches"));
      if (declared.isPresent() || s.routeDeclaresTimeout()) {
        return declared;
      }
      return s.routeController().map(IMPLEMENTATION_DEFAULTS::get);
    }
    return s.ingress() == null ? Optional.empty() : Optional.of(of(s.ingress(), s.controllerConfig()));
  }

  /**
   * The longest the gateway waits on any path of the Site's route: an HTTPRoute's longest rule
   * timeout, else the Ingress's (one for all its paths).
   */
  static Optional<GatewayReadTimeout> longestOf(Snapshot s) {
    if (s.viaHttpRoute()) {
      return s.routeLongestReadTimeout().map(d -> new GatewayReadTimeout(d, "timeouts of " + s.routeDescription()));
    }
    return s.ingress() == null ? Optional.empty() : Optional.of(of(s.ingress(), s.controllerConfig()));
  }

  /**
   * ingress-nginx: the Ingress's proxy-read-timeout annotation (seconds), else the controller
   * ConfigMap's {@code proxy-read-timeout} for every Ingress (where the operator reads it), else
   * its default of 60 s. A value ingress-nginx cannot read is passed over, as it passes it over
   * (an annotation's for the ConfigMap's, a ConfigMap key's for the default).
   */
  static GatewayReadTimeout of(Ingress ingress, IngressNginxConfigMap global) {
    Map<String, String> annotations = ingress == null || ingress.getMetadata() == null
        ? null : ingress.getMetadata().getAnnotations();
    Optional<Duration> own = seconds(annotations == null ? null : annotations.get(PROXY_READ_TIMEOUT));
    if (own.isPresent()) {
      return new GatewayReadTimeout(own.get(), "annotation " + PROXY_READ_TIMEOUT + " on Ingress " + ObjectKey.of(ingress));
    }
    Optional<Duration> everyIngress = global == null ? Optional.empty() : seconds(global.proxyReadTimeout());
    return everyIngress.map(d -> new GatewayReadTimeout(d, "ConfigMap " + global.configMap() + " "
            + IngressNginxConfigMap.PROXY_READ_TIMEOUT))
        .orElseGet(() -> new GatewayReadTimeout(INGRESS_NGINX_DEFAULT, "ingress-nginx's default proxy-read-timeout"));
  }

  /**
   * Whole seconds as ingress-nginx reads them: decimal digits (Go's Atoi for the annotation,
   * ParseInt for the ConfigMap), so "3600s" or " 30" is no value and the next source counts. Go
   * also reads a sign, zero, and for the ConfigMap "0x3c": those rare spellings are passed over
   * here, and a timeout of zero or less, which sets no time a latency can be judged against, is
   * too. The digits are checked by hand: this is asked for on every reconcile.
   */
  private static Optional<Duration> seconds(String value) {
    if (value == null || value.isEmpty() || value.length() > 9) {
      return Optional.empty();
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    long seconds = Long.parseLong(value);
    return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
  }

  /**
   * Half the read timeout: upstream latency above it leaves too little room before a 504. Halved
   * by hand: {@code Duration.dividedBy} goes through BigDecimal, and this is asked for on every
   * reconcile.
   */
  public Duration latencyBudget() {
    long seconds = value.getSeconds();
    return Duration.ofSeconds(seconds / 2, (seconds % 2) * 500_000_000L + value.getNano() / 2);
  }

  public String seconds() {
    long millis = value.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
  }
}
