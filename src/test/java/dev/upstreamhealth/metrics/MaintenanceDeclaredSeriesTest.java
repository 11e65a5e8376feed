package dev.upstreamhealth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.MaintenanceSpec;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.runtime.MetricsVerdictSink;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whether a Site declares its maintenance, which the undeclared-maintenance alert reads beside
 * the MaintenanceMode condition: the same condition comes from the spec or from the app alone.
 */
class MaintenanceDeclaredSeriesTest {
  private static final Map<String, String> SHOP = Map.of("namespace", "web", "site", "shop");
  private static final Map<String, String> MAINTENANCE = Map.of("namespace", "web", "site", "shop",
      "type", "ServiceUnavailable", "reason", "MaintenanceMode");
  private OperatorMetrics metrics;
  private OperatorHttpServer server;
  private MetricsVerdictSink sink;

  @BeforeEach
  void start() {
    metrics = new OperatorMetrics();
    server = OperatorHttpServer.start(0, metrics.registry(), Optional::empty);
    sink = new MetricsVerdictSink(metrics.sites());
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  @Test
  void aDeclaredMaintenanceIsOneBesideItsCondition() {
    sink.shown(site(true), inMaintenance());

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.value("upstreamhealth_site_maintenance_declared", SHOP)).contains(1.0);
    assertThat(scrape.value("upstreamhealth_site_condition", MAINTENANCE)).contains(1.0);
  }

  @Test
  void theAppsOwnMaintenanceHasTheConditionAndNoDeclaration() {
    sink.shown(site(false), inMaintenance());

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.value("upstreamhealth_site_maintenance_declared", SHOP)).isEmpty();
    assertThat(scrape.value("upstreamhealth_site_condition", MAINTENANCE)).contains(1.0);
  }

  @Test
  void theSeriesGoesOnceTheDeclarationEndsAndWithTheSite() {
    sink.shown(site(true), inMaintenance());
    sink.shown(site(false), inMaintenance());
    assertThat(Http.scrape(server.port()).value("upstreamhealth_site_maintenance_declared", SHOP)).isEmpty();

    sink.shown(site(true), inMaintenance());
    sink.forget(new SiteRef("web", "shop"));
    assertThat(Http.scrape(server.port()).value("upstreamhealth_site_maintenance_declared", SHOP)).isEmpty();
  }

  private static Site site(Boolean declared) {
    SiteSpec spec = new SiteSpec();
    spec.setHost("shop.example.com");
    MaintenanceSpec maintenance = new MaintenanceSpec();
    maintenance.setActive(declared);
    spec.setMaintenance(maintenance);
    Site site = new Site();
    site.setMetadata(new ObjectMetaBuilder().withNamespace("web").withName("shop").build());
    site.setSpec(spec);
    return site;
  }

  private static SiteStatus inMaintenance() {
    Condition condition = new Condition();
    condition.setType("ServiceUnavailable");
    condition.setStatus("True");
    condition.setReason("MaintenanceMode");
    SiteStatus status = new SiteStatus();
    status.setFault("503");
    status.setReason("MaintenanceMode");
    status.setConditions(List.of(condition));
    return status;
  }
}
