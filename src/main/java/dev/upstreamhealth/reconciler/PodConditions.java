package dev.upstreamhealth.reconciler;

import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Set;

/**
 * A cached pod's conditions: only those the diagnosis reads (Ready, and PodScheduled for an
 * unschedulable pod's message), and, their times dropped, one shared list for every pod whose
 * conditions say the same (every running, ready pod has the same two). The kubelet writes five
 * or six per pod; at 80,000 pods each is 4 MiB.
 */
final class PodConditions {
  static final Set<String> READ = Set.of("Ready", "PodScheduled");
  /** Bounded like {@link SharedStrings}: past the bound a list is kept but not shared. */
  static final int MAX_SHARED = 10_000;
  private static final SharingPool<List<PodCondition>> SHARED = new SharingPool<>(MAX_SHARED);

  private PodConditions() {
  }

  static List<PodCondition> keptAndShared(List<PodCondition> conditions) {
    // List.copyOf: an immutable list, which ModelCompaction keeps as it is rather than copying it again.
    List<PodCondition> kept = List.copyOf(conditions.stream().filter(c -> c != null && READ.contains(c.getType())).toList());
    return SHARED.share(kept);
  }
}
