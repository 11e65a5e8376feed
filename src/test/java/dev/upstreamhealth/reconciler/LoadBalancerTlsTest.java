package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whether a cloud's load balancer ends TLS on the gateway Service's https port, which sends to
 * the pods' plain http port (ingress-nginx's targetPorts.https: http), each cloud read as its
 * controller reads its annotations.
 */
class LoadBalancerTlsTest {

  @Test
  void digitalOceanEndsTlsWithACertificateAndNotInPassthrough() {
    String p = "service.beta.kubernetes.io/do-loadbalancer-";
    assertThat(endsTls(Map.of(p + "certificate-id", "a1b2", p + "tls-ports", "443"))).isTrue();
    assertThat(endsTls(Map.of(p + "certificate-id", "a1b2"))).as("443 without tls-ports").isTrue();
    assertThat(endsTls(Map.of(p + "tls-ports", "443", p + "tls-passthrough", "true")))
        .as("passthrough: the visitors' TLS reaches a plain port, the CDN's 525").isFalse();
    assertThat(endsTls(Map.of(p + "certificate-id", "a1b2", p + "tls-passthrough", "1"))).as("Go's true").isFalse();
    assertThat(endsTls(Map.of(p + "tls-ports", "443"))).as("no certificate, no TLS of its own").isFalse();
    assertThat(endsTls(Map.of(p + "certificate-id", "a1b2", p + "tls-ports", "8443"))).as("another port").isFalse();
  }

  @Test
  void scalewaysCertificatesMayNameTheirPort() {
    String key = "service.beta.kubernetes.io/scw-loadbalancer-certificate-ids";
    assertThat(endsTls(Map.of(key, "fr-par/11111111-2222"))).isTrue();
    assertThat(endsTls(Map.of(key, "443:fr-par/11111111-2222"))).isTrue();
    assertThat(endsTls(Map.of(key, "8443:fr-par/11111111-2222"))).isFalse();
  }

  @Test
  void awsSslPortsNameThePortByNumberOrName() {
    String p = "service.beta.kubernetes.io/aws-load-balancer-";
    String cert = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
    assertThat(endsTls(Map.of(p + "ssl-cert", cert))).as("every port without ssl-ports").isTrue();
    assertThat(endsTls(Map.of(p + "ssl-cert", cert, p + "ssl-ports", "https"))).isTrue();
    assertThat(endsTls(Map.of(p + "ssl-cert", cert, p + "ssl-ports", "443"))).isTrue();
    assertThat(endsTls(Map.of(p + "ssl-cert", cert, p + "ssl-ports", "*"))).isTrue();
    assertThat(endsTls(Map.of(p + "ssl-cert", cert, p + "ssl-ports", "8443"))).isFalse();
  }

  @Test
  void hetznersHttpsProtocolEndsTlsAndAPlainTcpLoadBalancerDoesNot() {
    assertThat(endsTls(Map.of("load-balancer.hetzner.cloud/protocol", "https"))).isTrue();
    assertThat(endsTls(Map.of("load-balancer.hetzner.cloud/protocol", "tcp"))).isFalse();
    assertThat(endsTls(Map.of())).isFalse();
  }

  @Test
  void aPortThatSendsToThePodsOwnHttpsPortGetsTlsThere() {
    Service own = service(Map.of("load-balancer.hetzner.cloud/protocol", "https"), "https");
    assertThat(LoadBalancerTls.endsBeforeThePods(own, 443)).isFalse();
  }

  private static boolean endsTls(Map<String, String> annotations) {
    return LoadBalancerTls.endsBeforeThePods(service(annotations, "http"), 443);
  }

  private static Service service(Map<String, String> annotations, String httpsTarget) {
    return new ServiceBuilder().withNewMetadata().withNamespace("ingress-nginx").withName("ingress-nginx-controller")
        .withAnnotations(annotations).endMetadata()
        .withNewSpec().withType("LoadBalancer")
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .addNewPort().withName("https").withPort(443).withTargetPort(new IntOrString(httpsTarget)).endPort()
        .endSpec().build();
  }
}
