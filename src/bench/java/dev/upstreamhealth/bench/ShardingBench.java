package dev.upstreamhealth.bench;

import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;

/**
 * Two operators on one API server, one with {@code --site-selector shard=a}, one with
 * {@code shard=b}; Sites labelled alternately. The mock server tells which client wrote which
 * Site's status, by User-Agent.
 */
final class ShardingBench {
  record Figures(int sites, int sitesA, int sitesB, int sitesByBoth, long writesA, long writesB, double allHealthySeconds) {
  }

  static Figures run(BenchWorld world) throws Exception {
    int n = world.sites();
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        StatusWriteTally tally = new StatusWriteTally(api.server());
        KubernetesClient bench = ClusterBench.clientAs(api, "bench");
        KubernetesClient clientA = ClusterBench.clientAs(api, "shard-a");
        KubernetesClient clientB = ClusterBench.clientAs(api, "shard-b");
        SiteStatusWatch watch = new SiteStatusWatch(bench)) {
      world.create(bench, 8, "shard");
      long t0 = System.nanoTime();
      try (UpstreamHealthOperator a = UpstreamHealthOperator.start(clientA,
              OperatorOptions.defaults().but(o -> { o.metricsPort = -1; o.probeAllowLoopback = true; o.siteSelector = "shard=a"; }), List.of());
          UpstreamHealthOperator b = UpstreamHealthOperator.start(clientB,
              OperatorOptions.defaults().but(o -> { o.metricsPort = -1; o.probeAllowLoopback = true; o.siteSelector = "shard=b"; }), List.of())) {
        double healthy = ClusterBench.awaitSeconds(t0, () -> watch.healthy() >= n, Duration.ofMinutes(5));
        tally.catchUp();
        var sitesA = tally.sitesWrittenBy("shard-a");
        var sitesB = tally.sitesWrittenBy("shard-b");
        int both = (int) sitesA.stream().filter(sitesB::contains).count();
        Figures f = new Figures(n, sitesA.size(), sitesB.size(), both, tally.byAgent("shard-a"), tally.byAgent("shard-b"),
            healthy);
        ClusterBench.log("sharding: %d Sites, shard=a wrote status for %d, shard=b for %d, both for %d; all healthy after %.1f s",
            n, f.sitesA(), f.sitesB(), both, healthy);
        return f;
      }
    }
  }

  private ShardingBench() {
  }
}
