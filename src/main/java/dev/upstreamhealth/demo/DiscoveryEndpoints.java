package dev.upstreamhealth.demo;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What kubectl needs from an API server before it sends its first real request, in front of
 * Fabric8's CRUD mock (which serves none of it): {@code /version}, the discovery documents
 * of the groups the demo uses, server-side Tables for Sites and Events, and the Event
 * field selectors the mock cannot evaluate ({@link EventFieldSelector}). Everything else goes to the mock.
 */
final class DiscoveryEndpoints extends Dispatcher {
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final Dispatcher crud;
  private final CustomResourceDefinition siteCrd;
  private final Map<String, List<APIResource>> resourcesByGroupVersion = new LinkedHashMap<>();

  DiscoveryEndpoints(Dispatcher crud, CustomResourceDefinition siteCrd) {
    this.crud = crud;
    this.siteCrd = siteCrd;
    resourcesByGroupVersion.put("v1", List.of(
        resource("namespaces", "Namespace", false, "ns"),
        resource("pods", "Pod", true, "po"),
        resource("pods/status", "Pod", true),
        resource("services", "Service", true, "svc"),
        resource("endpoints", "Endpoints", true, "ep"),
        resource("events", "Event", true, "ev"),
        resource("configmaps", "ConfigMap", true, "cm"),
        resource("serviceaccounts", "ServiceAccount", true, "sa")));
    resourcesByGroupVersion.put("apps/v1", List.of(
        resource("deployments", "Deployment", true, "deploy"),
        resource("deployments/status", "Deployment", true),
        resource("replicasets", "ReplicaSet", true, "rs"),
        resource("replicasets/status", "ReplicaSet", true)));
    resourcesByGroupVersion.put("networking.k8s.io/v1", List.of(
        resource("ingresses", "Ingress", true, "ing"),
        resource("ingresses/status", "Ingress", true),
        resource("ingressclasses", "IngressClass", false),
        resource("networkpolicies", "NetworkPolicy", true, "netpol")));
    // What dist/install.yaml holds besides the kinds above.
    resourcesByGroupVersion.put("rbac.authorization.k8s.io/v1", List.of(
        resource("clusterroles", "ClusterRole", false),
        resource("clusterrolebindings", "ClusterRoleBinding", false),
        resource("roles", "Role", true),
        resource("rolebindings", "RoleBinding", true)));
    resourcesByGroupVersion.put("discovery.k8s.io/v1", List.of(
        resource("endpointslices", "EndpointSlice", true)));
    resourcesByGroupVersion.put("apiextensions.k8s.io/v1", List.of(
        resource("customresourcedefinitions", "CustomResourceDefinition", false, "crd", "crds"),
        resource("customresourcedefinitions/status", "CustomResourceDefinition", false)));
    for (CustomResourceDefinitionVersion v : siteCrd.getSpec().getVersions()) {
      var names = siteCrd.getSpec().getNames();
      boolean namespaced = "Namespaced".equals(siteCrd.getSpec().getScope());
      APIResource main = new APIResourceBuilder(resource(names.getPlural(), names.getKind(), namespaced))
          .withSingularName(names.getSingular())
          .withShortNames(names.getShortNames())
          .withCategories(names.getCategories())
          .build();
      resourcesByGroupVersion.put(siteCrd.getSpec().getGroup() + "/" + v.getName(),
          List.of(main, resource(names.getPlural() + "/status", names.getKind(), namespaced)));
    }
  }

  private static APIResource resource(String name, String kind, boolean namespaced, String... shortNames) {
    boolean subresource = name.contains("/");
    return new APIResourceBuilder()
        .withName(name)
        .withSingularName(subresource ? "" : kind.toLowerCase())
        .withKind(kind)
        .withNamespaced(namespaced)
        .withVerbs(subresource ? List.of("get", "patch", "update") : VERBS)
        .withShortNames(shortNames.length == 0 ? null : List.of(shortNames))
        .build();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    if (!"GET".equalsIgnoreCase(request.getMethod())) {
      return crud.dispatch(request);
    }
    String discovery = discovery(stripSlash(pathOnly));
    if (discovery != null) {
      return json(discovery);
    }
    ServerSideTable table = ServerSideTable.forPath(pathOnly, siteCrd);
    boolean wantsTable = String.valueOf(request.getHeader("Accept")).contains("as=Table");
    boolean watch = path.contains("watch=true") || path.contains("watch=1");
    EventFieldSelector selector = EventFieldSelector.of(path);
    if (selector.isEmpty() && (table == null || !wantsTable || watch)) {
      return crud.dispatch(request);
    }
    RecordedRequest withoutSelector = new RecordedRequest(request.getHttpVersion(), request.method(),
        selector.remainingPath(), request.getHeaders(), request.getBody());
    if (watch) {
      return crud.dispatch(withoutSelector); // a stream cannot be filtered here: the watcher sees every Event
    }
    MockResponse answer = crud.dispatch(withoutSelector);
    if (answer.code() != 200) {
      return answer;
    }
    String body = selector.filter(answer.getBody().readUtf8());
    return json(table != null && wantsTable && !watch ? table.render(body) : body);
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** The discovery document at {@code path}, or null when the path is not a discovery path. */
  private String discovery(String path) {
    if (path.equals("/version")) {
      VersionInfo version = new VersionInfo.Builder().withMajor("1").withMinor("32")
          .withGitVersion("v1.32.0-upstreamhealth-demo").withPlatform("linux/amd64").build();
      return Serialization.asJson(version);
    }
    if (path.equals("/api")) {
      return Serialization.asJson(new APIVersionsBuilder().withVersions("v1").build());
    }
    if (path.equals("/apis")) {
      APIGroupListBuilder groups = new APIGroupListBuilder();
      groupVersions().forEach((group, versions) -> {
        List<GroupVersionForDiscovery> gvs = new ArrayList<>();
        versions.forEach(v -> gvs.add(new GroupVersionForDiscoveryBuilder()
            .withGroupVersion(group + "/" + v).withVersion(v).build()));
        groups.addToGroups(new APIGroupBuilder().withName(group).withVersions(gvs)
            .withPreferredVersion(gvs.get(0)).build());
      });
      return Serialization.asJson(groups.build());
    }
    String groupVersion = path.startsWith("/api/") ? path.substring("/api/".length())
        : path.startsWith("/apis/") ? path.substring("/apis/".length()) : null;
    List<APIResource> resources = groupVersion == null ? null : resourcesByGroupVersion.get(groupVersion);
    if (resources == null || path.startsWith("/api/") != groupVersion.equals("v1")) {
      return null;
    }
    return Serialization.asJson(new APIResourceListBuilder().withGroupVersion(groupVersion)
        .withResources(resources).build());
  }

  private Map<String, List<String>> groupVersions() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    resourcesByGroupVersion.keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> out
        .computeIfAbsent(gv.substring(0, gv.indexOf('/')), g -> new ArrayList<>()).add(gv.substring(gv.indexOf('/') + 1)));
    return out;
  }

  private static MockResponse json(String body) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
  }

  @Override
  public void shutdown() {
    crud.shutdown();
  }
}
