package dev.upstreamhealth.reconciler;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Indexes over an informer's objects that a reader never sees torn: while an object is replaced,
 * every index value it keeps stays listed.
 *
 * <p>Fabric8's own cache indexes replace an object by removing all its entries and adding them
 * again, and readers are not locked out in between. An EndpointSlice rewritten as a pod turns
 * ready, read in that moment by a reconcile, is missing from its Service's slices: the Site would
 * be judged to have no ready endpoints (a 503 page, and an Event) until the next reconcile. Here
 * an object's new values are added before the values it no longer has are removed.
 *
 * <p>Written by one thread at a time (the informer's store is updated under its cache's lock),
 * read by any.
 *
 * @param <R> the kind indexed
 */
final class StableIndexes<R> {
  private final Map<String, Function<R, List<String>>> indexers;
  private final Map<String, ConcurrentHashMap<String, Set<String>>> indexes = new ConcurrentHashMap<>();

  /** {@code indexers}: from an index's name to the values an object is filed under in it. */
  StableIndexes(Map<String, Function<R, List<String>>> indexers) {
    this.indexers = Map.copyOf(indexers);
    this.indexers.keySet().forEach(name -> indexes.put(name, new ConcurrentHashMap<>()));
  }

  /** The object stored under {@code key} is now {@code current}; it was {@code previous} (null when new). */
  void replaced(String key, R previous, R current) {
    indexers.forEach((name, indexer) -> {
      ConcurrentHashMap<String, Set<String>> index = indexes.get(name);
      List<String> now = valuesOf(indexer, current);
      now.forEach(value -> index.computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(key));
      if (previous != null) {
        valuesOf(indexer, previous).stream().filter(value -> !now.contains(value))
            .forEach(value -> unfile(index, value, key));
      }
    });
  }

  /** The object stored under {@code key}, last seen as {@code previous}, is gone. */
  void removed(String key, R previous) {
    indexers.forEach((name, indexer) -> {
      ConcurrentHashMap<String, Set<String>> index = indexes.get(name);
      valuesOf(indexer, previous).forEach(value -> unfile(index, value, key));
    });
  }

  /** The keys of the objects filed under {@code value} in the index {@code name}. */
  Set<String> keys(String name, String value) {
    ConcurrentHashMap<String, Set<String>> index = indexes.get(name);
    if (index == null) {
      throw new IllegalArgumentException("no index " + name);
    }
    return value == null ? Set.of() : index.getOrDefault(value, Set.of());
  }

  private static void unfile(ConcurrentHashMap<String, Set<String>> index, String value, String key) {
    index.computeIfPresent(value, (v, keys) -> {
      keys.remove(key);
      return keys.isEmpty() ? null : keys;
    });
  }

  /** What the object is filed under; a null value files it nowhere, as a null lookup finds nothing. */
  private static <R> List<String> valuesOf(Function<R, List<String>> indexer, R object) {
    List<String> values = indexer.apply(object);
    if (values == null) {
      return List.of();
    }
    for (String value : values) {
      if (value == null) { // List.of's contains(null) would throw rather than answer
        return values.stream().filter(Objects::nonNull).toList();
      }
    }
    return values;
  }
}
