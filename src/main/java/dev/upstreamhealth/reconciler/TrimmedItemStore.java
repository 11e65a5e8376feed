package dev.upstreamhealth.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An informer item store that trims each object as it arrives ({@link CachedObjectTrim}). The
 * informer stores and hands to its event handlers the same instance, so the mappers, indexes
 * and the reconciler all see the trimmed object and no untrimmed copy stays reachable.
 *
 * <p>It also keeps the informer's {@link StableIndexes}, which Fabric8's cache indexes are not.
 */
public final class TrimmedItemStore<R extends HasMetadata> implements ItemStore<R> {
  private final ConcurrentMap<String, R> items = new ConcurrentHashMap<>();
  private final StableIndexes<R> indexes;

  public TrimmedItemStore() {
    this(Map.of());
  }

  /** {@code indexers}: from an index's name to the values an object is filed under in it. */
  public TrimmedItemStore(Map<String, Function<R, List<String>>> indexers) {
    this.indexes = new StableIndexes<>(indexers);
  }

  /**
   * A store for the Sites' informer, or null (Fabric8's own store) when the controller watches
   * several named namespaces: JOSDK 5.2.3 then hands the same store to one informer per
   * namespace, and each informer's relist would drop the other namespaces' objects from it.
   * (The informers on what Sites read are one event source per namespace then: {@link IndexedInformer}.)
   */
  public static <R extends HasMetadata> TrimmedItemStore<R> forNamespaces(Set<String> namespaces) {
    boolean oneInformer = namespaces.size() <= 1 || InformerConfiguration.allNamespacesWatched(namespaces);
    return oneInformer ? new TrimmedItemStore<>() : null;
  }

  /** The objects filed under {@code value} in the index {@code name}. */
  public List<R> byIndex(String name, String value) {
    Set<String> keys = indexes.keys(name, value);
    List<R> found = new ArrayList<>(keys.size());
    for (String key : keys) {
      R item = items.get(key);
      if (item != null) {
        found.add(item);
      }
    }
    return found;
  }

  @Override
  public String getKey(R object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public R put(String key, R object) {
    R trimmed = CachedObjectTrim.trim(object);
    R previous = items.put(key, trimmed);
    indexes.replaced(key, previous, trimmed);
    return previous;
  }

  @Override
  public R remove(String key) {
    R previous = items.remove(key);
    if (previous != null) {
      indexes.removed(key, previous);
    }
    return previous;
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<R> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public R get(String key) {
    return items.get(key);
  }
}
