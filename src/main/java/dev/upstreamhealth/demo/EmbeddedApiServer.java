package dev.upstreamhealth.demo;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.reconciler.OperatorDecoding;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * A Kubernetes API on loopback that stores what it is sent (Fabric8's mock server in CRUD mode)
 * with the Site CRD installed: enough for the real operator, its informers and status patches,
 * and, through {@link KubectlFacade}, for kubectl.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  /** Named by the CRD generator after the CRD. */
  private static final String CRD_RESOURCE = "crds/" + Site.CRD_NAME + "-v1.yml";
  private static final String GATEWAY_API_CRDS = "gateway-api/standard-crds.yaml";

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final KubernetesClient operatorClient;

  private EmbeddedApiServer(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient();
    this.operatorClient = server.createClient(OperatorDecoding::apply);
  }

  public static EmbeddedApiServer start() {
    return start(new KubernetesCrudDispatcher());
  }

  /** With the given storage (what the API server keeps and how it answers). */
  static EmbeddedApiServer start(KubernetesCrudDispatcher storage) {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubectlFacade(storage, siteCrd()), false);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EmbeddedApiServer api = new EmbeddedApiServer(server);
    api.client.apiextensions().v1().customResourceDefinitions().resource(siteCrd()).create();
    // Like a cluster with ingress-nginx installed: the class the sample Ingresses name exists.
    api.client.network().v1().ingressClasses().resource(new IngressClassBuilder()
        .withNewMetadata().withName("nginx").endMetadata()
        .withNewSpec().withController("k8s.io/ingress-nginx").endSpec()
        .build()).create();
    return api;
  }

  /** Installs the Gateway API's CRDs, as a cluster admin would while the operator runs or before. */
  public void installGatewayApi() {
    for (CustomResourceDefinition crd : gatewayApiCrds()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  /** GatewayClass, Gateway, HTTPRoute, ReferenceGrant and ListenerSet, with the names and versions of the standard channel. */
  private static List<CustomResourceDefinition> gatewayApiCrds() {
    try (InputStream in = EmbeddedApiServer.class.getClassLoader().getResourceAsStream(GATEWAY_API_CRDS)) {
      if (in == null) {
        throw new IllegalStateException(GATEWAY_API_CRDS + " is not on the classpath");
      }
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Arrays.stream(all.split("(?m)^---\\s*$"))
          .filter(doc -> doc.contains("kind: CustomResourceDefinition"))
          .map(doc -> Serialization.unmarshal(doc, CustomResourceDefinition.class))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CRD exactly as committed in crds/ and shipped in the jar. */
  public static CustomResourceDefinition siteCrd() {
    try (InputStream in = EmbeddedApiServer.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CRD_RESOURCE + " is not on the classpath");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /** A client for the operator, decoding as the operator's does in a cluster. */
  public KubernetesClient operatorClient() {
    return operatorClient;
  }

  /** http://127.0.0.1:PORT, what a kubeconfig should name: "localhost" may resolve to ::1 first. */
  public String loopbackUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    operatorClient.close();
    client.close();
    server.destroy();
  }
}
