package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.IngressRoutes.nullSafe;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The port a load balancer takes a Gateway listener's traffic on. Most implementations give
 * their LoadBalancer Service the listeners' ports; one whose listener ports are its proxy's
 * container ports (Traefik: listener 8000, Service 80 with targetPort 8000) reports the
 * Service's address as the Gateway's, where only the Service's ports answer: the CDN connects to
 * that Service port, not to the listener's.
 */
public final class LoadBalancerPorts {
  private LoadBalancerPorts() {}

  /**
   * The port of {@code address} that carries {@code listenerPort}: the listener port itself when a
   * LoadBalancer Service at that address serves it (or none is known there), else the port of such
   * a Service whose targetPort is the listener port, where that port is the only one of them.
   *
   * @param services Services whose load-balancer entries hold an address of the Gateway
   */
  static int exposing(String address, int listenerPort, List<GatewayState> services) {
    List<GatewayState> at = services.stream().filter(s -> isLoadBalancerAt(s, address)).toList();
    if (at.stream().anyMatch(s -> ports(s).anyMatch(p -> Objects.equals(p.getPort(), listenerPort)))) {
      return listenerPort;
    }
    // Several Services may share the address (k3s's ServiceLB gives every one the nodes' addresses,
    // MetalLB shares them on request): only one port that targets the listener's says which it is.
    List<Integer> exposed = at.stream()
        .flatMap(service -> ports(service)
            .filter(p -> p.getPort() != null && targetPort(service, p).filter(t -> t == listenerPort).isPresent())
            .map(ServicePort::getPort))
        .distinct().toList();
    return exposed.size() == 1 ? exposed.get(0) : listenerPort;
  }

  private static boolean isLoadBalancerAt(GatewayState state, String address) {
    if (state.service() == null || state.service().getSpec() == null
        || !"LoadBalancer".equals(state.service().getSpec().getType())) {
      return false;
    }
    Optional<NetworkAddress> wanted = NetworkAddress.parse(address);
    return wanted.isPresent() && state.loadBalancerIngress().stream()
        .flatMap(LoadBalancerPorts::addressesOf).anyMatch(wanted.get()::equals);
  }

  /** A load-balancer entry's IP and hostname, parsed, so that addresses compare by value. */
  public static Stream<NetworkAddress> addressesOf(LoadBalancerIngress entry) {
    return Stream.of(entry.getIp(), entry.getHostname()).map(NetworkAddress::parse).flatMap(Optional::stream);
  }

  private static Stream<ServicePort> ports(GatewayState state) {
    return nullSafe(state.service().getSpec().getPorts()).stream()
        .filter(p -> p.getProtocol() == null || "TCP".equals(p.getProtocol()));
  }

  /**
   * The pod port a Service port sends to: its numeric targetPort, or its own port when it names
   * none; a named one as the EndpointSlices resolved it, else as the pods declare it.
   */
  private static Optional<Integer> targetPort(GatewayState state, ServicePort port) {
    IntOrString target = port.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return Optional.ofNullable(port.getPort());
    }
    if (target.getIntVal() != null) {
      return Optional.of(target.getIntVal());
    }
    String name = target.getStrVal();
    Optional<Integer> resolved = state.slices().stream()
        .map(EndpointSlice::getPorts).flatMap(ports -> nullSafe(ports).stream())
        .filter(p -> Objects.equals(port.getName(), p.getName()) && p.getPort() != null)
        .map(EndpointPort::getPort).findFirst();
    if (resolved.isPresent()) {
      return resolved;
    }
    return Optional.ofNullable(NetworkPolicyAdmission.containerPortNumber(state.pods(), name));
  }
}
