package dev.upstreamhealth.bench.api;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Requests received, by client (User-Agent), verb and resource: what the bench counts API cost with. */
public final class RequestTally {
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  void count(String agent, String verb, String resource, String subresource) {
    String key = agent + " " + verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource);
    counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  /** A copy of the counts so far, keyed "agent VERB resource[/subresource]". */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * Requests whose key starts with {@code agent + " "}, verbs among {@code verbs} (null: any), on
   * {@code resource} or any of its subresources (null: any): "sites" counts "sites/status" too.
   */
  public static long total(Map<String, Long> snapshot, String agentPrefix, java.util.Set<String> verbs, String resource) {
    return snapshot.entrySet().stream().filter(e -> {
      String[] p = e.getKey().split(" ");
      return p.length >= 3 && p[0].startsWith(agentPrefix) && (verbs == null || verbs.contains(p[1]))
          && (resource == null || p[2].equals(resource) || p[2].startsWith(resource + "/"));
    }).mapToLong(Map.Entry::getValue).sum();
  }

  /** The difference between two snapshots. */
  public static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d != 0) {
        out.put(k, d);
      }
    });
    return out;
  }
}
