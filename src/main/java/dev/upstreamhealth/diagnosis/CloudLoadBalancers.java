package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Where clouds' load-balancer controllers read their settings: the annotations of a LoadBalancer Service. */
public final class CloudLoadBalancers {
  /** The AWS Load Balancer Controller's and the in-tree AWS provider's annotations. */
  public static final String AWS = "service.beta.kubernetes.io/aws-load-balancer-";
  public static final String DIGITALOCEAN = "service.beta.kubernetes.io/do-loadbalancer-";
  /** Akamai's (Linode's) cloud controller. */
  public static final String AKAMAI = "service.beta.kubernetes.io/linode-loadbalancer-";

  /**
   * An AWS Classic Load Balancer's name, REGION.elb.amazonaws.com, where a Network Load
   * Balancer's is elb.REGION.amazonaws.com.
   */
  private static final Pattern AWS_CLASSIC_NAME =
      Pattern.compile("[^.]+\\.[a-z]{2}(-[a-z]+)+-\\d+\\.elb\\.amazonaws\\.com(\\.cn)?\\.?", Pattern.CASE_INSENSITIVE);

  private CloudLoadBalancers() {}

  /** Whether a load balancer's name is an AWS one (any kind, China's regions included). */
  public static boolean isAwsName(String hostname) {
    if (hostname == null) {
      return false;
    }
    String name = hostname.toLowerCase(Locale.ROOT);
    return name.endsWith(".amazonaws.com") || name.endsWith(".amazonaws.com.cn");
  }

  /** Whether a load balancer's name is an AWS Classic Load Balancer's. */
  public static boolean isAwsClassicName(String hostname) {
    return hostname != null && AWS_CLASSIC_NAME.matcher(hostname).matches();
  }

  /** The Service's annotations, none where it has none. */
  public static Map<String, String> annotations(Service service) {
    return service == null || service.getMetadata() == null || service.getMetadata().getAnnotations() == null
        ? Map.of() : service.getMetadata().getAnnotations();
  }
}
