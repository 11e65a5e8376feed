package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;

/** Where clouds' load-balancer controllers read their settings: the annotations of a LoadBalancer Service. */
public final class CloudLoadBalancers {
  /** The AWS Load Balancer Controller's and the in-tree AWS provider's annotations. */
  public static final String AWS = "service.beta.kubernetes.io/aws-load-balancer-";
  public static final String DIGITALOCEAN = "service.beta.kubernetes.io/do-loadbalancer-";
  /** Akamai's (Linode's) cloud controller. */
  public static final String AKAMAI = "service.beta.kubernetes.io/linode-loadbalancer-";

  private CloudLoadBalancers() {}

  /** The Service's annotations, none where it has none. */
  public static Map<String, String> annotations(Service service) {
    return service == null || service.getMetadata() == null || service.getMetadata().getAnnotations() == null
        ? Map.of() : service.getMetadata().getAnnotations();
  }
}
