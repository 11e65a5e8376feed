package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * An informer item store that trims each object as it arrives ({@link CachedObjectTrim}). The
 * informer stores and hands to its event handlers the same instance, so the mappers, indexes
 * and the reconciler all see the trimmed object and no untrimmed copy stays reachable.
 */
public final class TrimmedItemStore<R extends HasMetadata> implements ItemStore<R> {
  private final ConcurrentMap<String, R> items = new ConcurrentHashMap<>();

  /**
   * A store for one informer event source, or null (Fabric8's own store) when the controller
   * watches several named namespaces: JOSDK 5.2.3 then hands the same store to one informer per
   * namespace, and each informer's relist would drop the other namespaces' objects from it.
   */
  public static <R extends HasMetadata> TrimmedItemStore<R> forInformersOf(EventSourceContext<Site> context) {
    return forNamespaces(context.getControllerConfiguration().getInformerConfig().getNamespaces());
  }

  /** As {@link #forInformersOf}, for an informer configured to watch these namespaces. */
  public static <R extends HasMetadata> TrimmedItemStore<R> forNamespaces(Set<String> namespaces) {
    boolean oneInformer = namespaces.size() <= 1 || InformerConfiguration.allNamespacesWatched(namespaces);
    return oneInformer ? new TrimmedItemStore<>() : null;
  }

  @Override
  public String getKey(R object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public R put(String key, R object) {
    return items.put(key, CachedObjectTrim.trim(object));
  }

  @Override
  public R remove(String key) {
    return items.remove(key);
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
