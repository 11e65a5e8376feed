package dev.upstreamhealth.demo;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded API server, the real operator on it, and the scenarios' Sites and stand-in
 * servers: started together, closed in reverse so that nothing is left running.
 */
public final class RunningDemo implements AutoCloseable {
  private final EmbeddedApiServer api;
  private final UpstreamHealthOperator operator;
  private final DemoScenarios scenarios;

  private RunningDemo(EmbeddedApiServer api, UpstreamHealthOperator operator, DemoScenarios scenarios) {
    this.api = api;
    this.operator = operator;
    this.scenarios = scenarios;
  }

  public static RunningDemo start() {
    EmbeddedApiServer api = EmbeddedApiServer.start();
    // Like a cluster with a Gateway API implementation installed: some samples are HTTPRoutes.
    api.installGatewayApi();
    UpstreamHealthOperator operator = null;
    try {
      // Metrics on any free port: a demo must not fail because 8080 is taken.
      // The demo's load balancers and pods are loopback servers: the one place loopback is probed.
      operator = UpstreamHealthOperator.start(api.operatorClient(), OperatorOptions.defaults().but(b -> {
        b.metricsPort = 0;
        b.probeAllowLoopback = true;
      }));
      return new RunningDemo(api, operator, DemoScenarios.create(api.client()));
    } catch (RuntimeException e) {
      if (operator != null) {
        operator.close();
      }
      api.close();
      throw e;
    }
  }

  public KubernetesClient client() {
    return api.client();
  }

  public String apiUrl() {
    return api.loopbackUrl();
  }

  public Path writeKubeconfig(Path file) {
    return file == null ? DemoKubeconfig.writeTemporary(apiUrl()) : DemoKubeconfig.write(file, apiUrl());
  }

  public List<Scenario> scenarios() {
    return scenarios.scenarios();
  }

  public Timeline timeline() {
    return scenarios.timeline();
  }

  public Site site(Scenario scenario) {
    return client().resources(Site.class).inNamespace(scenario.namespace()).withName(scenario.name()).get();
  }

  public List<Site> sites() {
    return client().resources(Site.class).inAnyNamespace().list().getItems();
  }

  /** Events about Sites, oldest first. */
  public List<Event> siteEvents() {
    return EventLines.inOrder(client().v1().events().inAnyNamespace().list().getItems());
  }

  /**
   * What is not (yet) as it should be, one line per Site: a wrong status, or a fault without
   * its Event. Empty when every scenario has settled as expected.
   */
  public List<String> unsettled() {
    List<String> wrong = new ArrayList<>();
    List<Event> events = siteEvents();
    for (Scenario s : scenarios()) {
      Site site = site(s);
      if (!s.expected().isMetBy(site)) {
        String message = site == null || site.getStatus() == null ? "" : ": " + site.getStatus().getMessage();
        wrong.add(s.key() + " (" + s.story() + ") should show " + s.expected() + " but shows "
            + Expectation.shown(site) + message);
      } else if (!"None".equals(s.expected().fault()) && events.stream().noneMatch(e ->
          s.expected().reason().equals(e.getReason()) && s.namespace().equals(e.getInvolvedObject().getNamespace())
          && s.name().equals(e.getInvolvedObject().getName()))) {
        // A Warning, or for maintenance a Normal one: which is SiteEvents' to say.
        wrong.add(s.key() + " shows " + s.expected() + " but has no Event " + s.expected().reason() + " yet");
      }
    }
    return wrong;
  }

  /** Operator first, so nothing reconciles against servers that are going away; the API server last. */
  @Override
  public void close() {
    try {
      operator.close();
    } finally {
      try {
        scenarios.close();
      } finally {
        api.close();
      }
    }
  }
}
