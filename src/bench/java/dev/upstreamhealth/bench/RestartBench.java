package dev.upstreamhealth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.upstreamhealth.bench.api.BenchApiServer;
import io.fabric8.zjsonpatch.JsonDiff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operator restarted over Sites that already show their verdicts, as a rolling upgrade or an
 * evicted pod restarts it: a new process on the loaded bench API server, every Site's stored
 * status Healthy, nothing wrong in the world. For as long as a first start of the same size took
 * to its last verdict, plus two probe intervals (so every Site's probes have concluded in the new
 * process), every status write, Event and Site shown anything but Healthy is counted: a restart
 * should show nothing, and a Site shown a fault would be a false page. What the writes changed is
 * told by field: every stored status is compared before and after.
 */
final class RestartBench {
  /** Two rounds of the bench Sites' 30 s probes after the first verdicts' time. */
  static final Duration AFTER_FIRST_VERDICTS = Duration.ofSeconds(60);

  /** {@code changedFields}: for each status field path ("probes[].probedAt"), how many Sites' differ after the window. */
  record Figures(int sites, double windowSeconds, ScaleBench.StartNoise noise, int healthyAtEnd, double cpuSeconds,
      int sitesChanged, Map<String, Integer> changedFields) {
  }

  static Figures run(BenchApiServer server, ScaleBench.Verdicts verdicts, ScaleBench.Figures firstStart, Path workDir)
      throws Exception {
    int sites = firstStart.sites();
    double firstVerdicts = Double.isNaN(firstStart.firstVerdictSeconds())
        ? ScaleBench.START_TIMEOUT.toSeconds() : firstStart.firstVerdictSeconds();
    Duration window = Duration.ofMillis((long) (firstVerdicts * 1000)).plus(AFTER_FIRST_VERDICTS);
    verdicts.forgetShown();
    Map<String, JsonNode> stored = server.statuses(ScaleBench.SITES);
    Map<String, Long> before = server.tally().snapshot();
    try (OperatorProcess operator = OperatorProcess.start(server.url(), workDir, "restart-" + sites,
        List.of("--probe-allow-loopback"))) {
      ScaleBench.sleep(window);
      ScaleBench.StartNoise noise = ScaleBench.StartNoise.since(before, server, verdicts);
      Map<String, JsonNode> now = server.statuses(ScaleBench.SITES);
      Map<String, Integer> fields = new TreeMap<>();
      int changed = 0;
      for (Map.Entry<String, JsonNode> e : stored.entrySet()) {
        Set<String> differ = differences(e.getValue(), now.get(e.getKey()));
        changed += differ.isEmpty() ? 0 : 1;
        differ.forEach(path -> fields.merge(path, 1, Integer::sum));
      }
      Figures f = new Figures(sites, window.toMillis() / 1000.0, noise, verdicts.healthy.size(), operator.cpuSeconds(),
          changed, fields);
      ScaleBench.log("%,d Sites, restarted over their statuses: in %.0f s, %,d status writes, %d Events, %d Sites shown "
              + "a fault, %d shown Unknown, %,d Healthy at the end (%.1f CPU s); %,d statuses differ, by field %s",
          sites, f.windowSeconds(), noise.statusWrites(), noise.events(), noise.sitesShownFault(),
          noise.sitesShownUnknown(), f.healthyAtEnd(), f.cpuSeconds(), changed, fields);
      return f;
    }
  }

  /** The status fields in which {@code before} and {@code after} differ ("probes[].probedAt"), from their JSON Patch. */
  static Set<String> differences(JsonNode before, JsonNode after) {
    Set<String> out = new TreeSet<>();
    for (JsonNode op : JsonDiff.asJson(before, after == null ? JsonNodeFactory.instance.objectNode() : after)) {
      String path = op.path("path").asText();
      out.add(path.isEmpty() ? "(status)" : path.substring(1).replaceAll("/\\d+(?=/|$)", "[]").replace('/', '.'));
    }
    return out;
  }

  private RestartBench() {
  }
}
