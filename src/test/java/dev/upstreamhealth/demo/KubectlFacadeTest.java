package dev.upstreamhealth.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What kubectl asks the embedded API server before and while it lists Sites and Events. */
class KubectlFacadeTest {
  static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  static EmbeddedApiServer api;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    api = EmbeddedApiServer.start();
    SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
    Site site = api.client().resource(shop.site(80, 2, 1)).create();
    SiteStatus status = new SiteStatus();
    status.setFault("502");
    status.setReason("UpstreamCrashLooping");
    status.setMessage("1/1 pods are in CrashLoopBackOff");
    status.getConditions().add(new ConditionBuilder().withType("Ready").withStatus("False").build());
    site.setStatus(status);
    site = api.client().resource(site).updateStatus();
    for (String name : List.of("shop", "other")) {
      api.client().v1().events().inNamespace("web").resource(new EventBuilder()
          .withNewMetadata().withName(name + ".1").withNamespace("web").endMetadata()
          .withNewInvolvedObject().withKind("Site").withNamespace("web").withName(name)
            .withApiVersion("upstreamhealth.dev/v1alpha1").endInvolvedObject()
          .withType("Warning").withReason("UpstreamCrashLooping").withMessage("about " + name)
          .withLastTimestamp("2024-01-01T00:00:00Z").build()).create();
    }
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static JsonNode get(String path, String accept) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api.loopbackUrl() + path))
        .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return Serialization.jsonMapper().readTree(r.body());
  }

  static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
    return out;
  }

  @Test
  void versionAndRootDiscovery() throws Exception {
    assertThat(get("/version", "application/json").path("gitVersion").asText()).startsWith("v1.");
    assertThat(texts(get("/api", "application/json").path("versions"), null)).containsExactly("v1");
    JsonNode groups = get("/apis", "application/json");
    assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
    assertThat(texts(groups.path("groups"), "name")).contains("upstreamhealth.dev", "apps", "networking.k8s.io",
        "discovery.k8s.io", "apiextensions.k8s.io");
  }

  @Test
  void groupVersionsListTheirResources() throws Exception {
    JsonNode sites = get("/apis/upstreamhealth.dev/v1alpha1", "application/json");
    assertThat(sites.path("groupVersion").asText()).isEqualTo("upstreamhealth.dev/v1alpha1");
    assertThat(texts(sites.path("resources"), "name")).containsExactly("sites", "sites/status");
    assertThat(sites.path("resources").get(0).path("namespaced").asBoolean()).isTrue();
    assertThat(texts(get("/api/v1", "application/json").path("resources"), "name"))
        .contains("pods", "services", "events", "namespaces");
    assertThat(texts(get("/apis/apps/v1", "application/json").path("resources"), "name")).contains("deployments");
    assertThat(texts(get("/apis/networking.k8s.io/v1", "application/json").path("resources"), "name"))
        .contains("ingresses", "networkpolicies");
    assertThat(texts(get("/apis/discovery.k8s.io/v1", "application/json").path("resources"), "name"))
        .contains("endpointslices");
  }

  @Test
  void sitesAreServedAsATableWithTheCrdsPrinterColumns() throws Exception {
    JsonNode table = get("/apis/upstreamhealth.dev/v1alpha1/sites", TABLE);
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(texts(table.path("columnDefinitions"), "name"))
        .containsExactly("Name", "Host", "Fault", "Reason", "Ready", "Age");
    JsonNode row = table.path("rows").get(0);
    assertThat(texts(row.path("cells"), null).subList(0, 5))
        .containsExactly("shop", "shop.example.com", "502", "UpstreamCrashLooping", "False");
    assertThat(row.path("object").path("metadata").path("namespace").asText()).isEqualTo("web");
  }

  @Test
  void withoutTheTableAcceptHeaderSitesStayAPlainList() throws Exception {
    JsonNode list = get("/apis/upstreamhealth.dev/v1alpha1/namespaces/web/sites", "application/json");
    assertThat(list.path("items").get(0).path("spec").path("host").asText()).isEqualTo("shop.example.com");
  }

  @Test
  void eventsAreATableWithTypeReasonObjectAndMessage() throws Exception {
    JsonNode table = get("/api/v1/namespaces/web/events", TABLE);
    assertThat(texts(table.path("columnDefinitions"), "name"))
        .containsExactly("Last Seen", "Type", "Reason", "Object", "Message");
    assertThat(texts(table.path("rows").get(0).path("cells"), null).subList(1, 5))
        .containsExactly("Warning", "UpstreamCrashLooping", "site/shop", "about shop");
  }

  @Test
  void describesInvolvedObjectSelectorKeepsOnlyThatSitesEvents() throws Exception {
    JsonNode list = get("/api/v1/namespaces/web/events?fieldSelector=involvedObject.name%3Dshop%2C"
        + "involvedObject.namespace%3Dweb%2CinvolvedObject.kind%3DSite&limit=500", "application/json");
    assertThat(list.path("kind").asText()).isEqualTo("EventList");
    assertThat(texts(list.path("items"), "message")).containsExactly("about shop");
  }

  @Test
  void reasonAndTypeSelectorsKeepOnlyTheMatchingEvents() throws Exception {
    // The operator lists only FailedCreate Warnings: the mock alone would answer none at all.
    api.client().v1().events().inNamespace("web").resource(new EventBuilder()
        .withNewMetadata().withName("shop-web.2").withNamespace("web").endMetadata()
        .withNewInvolvedObject().withKind("StatefulSet").withNamespace("web").withName("shop-web").endInvolvedObject()
        .withType("Warning").withReason("FailedCreate").withMessage("exceeded quota: compute").build()).create();
    try {
      JsonNode list = get("/api/v1/namespaces/web/events?fieldSelector=reason%3DFailedCreate%2Ctype%3DWarning",
          "application/json");
      assertThat(texts(list.path("items"), "message")).containsExactly("exceeded quota: compute");
      assertThat(api.client().v1().events().inNamespace("web").withField("reason", "FailedCreate")
          .withField("type", "Normal").list().getItems()).isEmpty();
    } finally {
      api.client().v1().events().inNamespace("web").withName("shop-web.2").delete();
    }
  }

  @Test
  void printerColumnPathsResolveLikeAnApiServer() throws Exception {
    JsonNode o = Serialization.jsonMapper().readTree(
        "{\"status\":{\"conditions\":[{\"type\":\"Degraded\",\"status\":\"True\"},{\"type\":\"Ready\",\"status\":\"False\"}]}}");
    assertThat(PrinterColumnPath.evaluate(o, ".status.conditions[?(@.type==\"Ready\")].status")).isEqualTo("False");
    assertThat(PrinterColumnPath.evaluate(o, ".status.conditions[0].type")).isEqualTo("Degraded");
    assertThat(PrinterColumnPath.evaluate(o, ".spec.host")).isEmpty();
  }
}
