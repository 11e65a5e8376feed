package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The addresses external-dns publishes for an Ingress or a Gateway in place of its load
 * balancer's: its {@code target} annotation, comma-separated IPs or names. Set where the address
 * the internet reaches is not the one in status: a router forwarding a public IP to a MetalLB
 * address, a load balancer in front of the node ports. The CDN is then configured with a target.
 */
final class ExternalDnsTarget {
  static final String ANNOTATION = "external-dns.alpha.kubernetes.io/target";

  private ExternalDnsTarget() {}

  static List<NetworkAddress> of(HasMetadata object) {
    Map<String, String> annotations = object == null || object.getMetadata() == null ? null
        : object.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(ANNOTATION);
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(NetworkAddress::parse).flatMap(Optional::stream).toList();
  }
}
