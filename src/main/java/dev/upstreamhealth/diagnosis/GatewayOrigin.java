package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.OriginSpec;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the CDN connects for an HTTPRoute: the serving Gateway's address while it is Programmed
 * (of several, the one the CDN is configured with, else the first the CDN can best reach; see
 * {@link RouteAttachment#of}), else {@code origin.address};
 * the port and scheme as given, else those of the listener that carries host (an HTTPS listener
 * first, as the CDN would use it), on the port the load balancer at the Gateway's address takes
 * that listener's traffic ({@link LoadBalancerPorts}).
 */
final class GatewayOrigin {
  /** A Gateway-level reason that is about some of its listeners, not its data plane. */
  private static final String LISTENERS_NOT_VALID = "ListenersNotValid";

  private GatewayOrigin() {}

  /**
   * The Gateway's addresses; none while it is not Programmed, since its data plane is not set up,
   * unless it is not Programmed only for another listener than host's. Contour rolls any
   * listener's failure up into the Gateway's Programmed False, ListenersNotValid (an HTTPS listener
   * whose certificate cert-manager has not issued yet), while its data plane keeps serving the
   * other listeners at the same address: a listener carrying host that its own status reports
   * Programmed is served.
   */
  static List<String> addresses(RouteAttachment attachment) {
    Gateway gateway = attachment.gateway();
    if (gateway == null) {
      return List.of();
    }
    Optional<Condition> programmed = programmed(gateway);
    boolean serving = HttpRoutes.isTrue(programmed)
        || programmed.filter(c -> LISTENERS_NOT_VALID.equals(c.getReason())).isPresent() && carriesHostProgrammed(attachment);
    return serving ? HttpRoutes.addresses(gateway) : List.of();
  }

  /**
   * Whether a listener that carries host has a status of its own that says Programmed True. Read
   * as the Gateway's own Programmed is, whatever generation it was written for: right after an
   * edit both are the controller's last word until it writes again.
   */
  private static boolean carriesHostProgrammed(RouteAttachment attachment) {
    Gateway gateway = attachment.gateway();
    List<ListenerStatus> statuses = gateway.getStatus() == null ? List.of() : IngressRoutes.nullSafe(gateway.getStatus().getListeners());
    return attachment.listeners().stream().map(Listener::getName).filter(Objects::nonNull)
        .anyMatch(name -> statuses.stream().filter(l -> name.equals(l.getName()))
            .anyMatch(l -> HttpRoutes.isTrue(HttpRoutes.condition(l.getConditions(), "Programmed"))));
  }

  /** Why the Gateway gives the CDN no address, quoting its Programmed condition. */
  static String noAddress(RouteAttachment attachment) {
    Gateway gateway = attachment.gateway();
    String key = "Gateway " + attachment.gatewayKey();
    Optional<Condition> programmed = programmed(gateway);
    if (!HttpRoutes.isTrue(programmed)) {
      return key + " is not Programmed" + programmed.map(c -> " (" + HttpRoutes.quote(c) + ")")
          .orElse(" (it has no Programmed condition: no controller has set it up)");
    }
    return key + " has no status.addresses";
  }

  /**
   * @param loadBalancers the LoadBalancer Services whose entries hold an address of a Gateway
   *     serving host, with their EndpointSlices and pods
   */
  static Optional<OriginEndpoint> resolve(OriginSpec origin, RouteAttachment attachment,
      Map<String, List<String>> resolved, List<GatewayState> loadBalancers) {
    List<String> lb = addresses(attachment);
    String configured = origin.getAddress() == null ? "" : origin.getAddress().strip();
    String address;
    OriginEndpoint.Source source;
    if (!lb.isEmpty()) {
      // The Gateway's address the CDN is configured with, when it names one of several.
      address = OriginAddresses.connectedTo(configured, lb, resolved);
      source = OriginEndpoint.Source.LOAD_BALANCER;
    } else if (!configured.isEmpty() && !CloudflareTunnel.isNamedBy(configured)) {
      address = NetworkAddress.unbracketed(configured);
      source = OriginEndpoint.Source.SPEC;
    } else {
      return Optional.empty();
    }
    String given = origin.getScheme() == null ? "" : origin.getScheme();
    Integer givenPort = origin.getPort() != null && origin.getPort() > 0 ? origin.getPort() : null;
    Optional<Listener> listener = switch (given) {
      case "http" -> attachment.httpListener();
      case "https" -> attachment.httpsListener();
      // A port given alone names the listener, and so the scheme the CDN speaks there: https to
      // an HTTP listener's port would be a handshake no CDN attempts.
      default -> onPort(attachment, givenPort).or(attachment::httpsListener).or(attachment::httpListener);
    };
    Scheme scheme = switch (given) {
      case "http" -> Scheme.HTTP;
      case "https" -> Scheme.HTTPS;
      default -> listener.map(l -> "HTTPS".equals(l.getProtocol()) ? Scheme.HTTPS : Scheme.HTTP).orElse(Scheme.HTTP);
    };
    Optional<Integer> listenerPort = listener.map(Listener::getPort).filter(p -> p != null && p > 0);
    int port = givenPort != null ? givenPort
        : listenerPort.isEmpty() ? scheme.defaultPort()
        : source == OriginEndpoint.Source.LOAD_BALANCER
            ? LoadBalancerPorts.exposing(address, listenerPort.get(), loadBalancers) : listenerPort.get();
    return Optional.of(new OriginEndpoint(address, port, scheme, source));
  }

  private static Optional<Listener> onPort(RouteAttachment attachment, Integer port) {
    return port == null ? Optional.empty()
        : attachment.listeners().stream().filter(l -> port.equals(l.getPort())).findFirst();
  }

  private static Optional<Condition> programmed(Gateway gateway) {
    return HttpRoutes.condition(gateway.getStatus() == null ? null : gateway.getStatus().getConditions(), "Programmed");
  }
}
