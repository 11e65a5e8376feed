package dev.upstreamhealth.reconciler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One instance per distinct text for the values that repeat across cached objects: namespaces,
 * label keys and values, kinds, API versions, owner names, condition types and statuses. Jackson
 * makes a new String for each occurrence; at 80,000 pods the copies of "Running", "True",
 * "apps/v1" or a namespace add up to tens of MiB. Bounded, so unique values cannot grow it
 * without limit; past the bound a value simply stays unshared.
 */
final class SharedStrings {
  static final int MAX = 200_000;
  private static final SharingPool<String> POOL = new SharingPool<>(MAX);

  private SharedStrings() {
  }

  static String of(String s) {
    return s == null ? null : POOL.share(s);
  }

  /** Replaces a value through its getter and setter. */
  static void share(Supplier<String> get, Consumer<String> set) {
    String v = get.get();
    if (v != null) {
      set.accept(of(v));
    }
  }

  /** The same map with shared keys and values (a new map: the old one may be shared by the informer). */
  static Map<String, String> shareAll(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return map;
    }
    Map<String, String> out = new LinkedHashMap<>(map.size() * 4 / 3 + 1);
    map.forEach((k, v) -> out.put(of(k), of(v)));
    return out;
  }

  static <T> void each(List<T> list, Consumer<T> action) {
    if (list != null) {
      list.forEach(action);
    }
  }
}
