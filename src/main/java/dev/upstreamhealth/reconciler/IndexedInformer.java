package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The informers on one kind and the indexes its objects are read by, kept in each informer's
 * {@link TrimmedItemStore} as {@link StableIndexes} rather than in Fabric8's cache, whose indexes
 * a reader can see torn for the moment an object is replaced.
 *
 * <p>One informer for all namespaces (or the one namespace) watched, or one per namespace when
 * the controller watches several by name. JOSDK would otherwise run an informer per namespace
 * behind one event source, all sharing one item store, and each informer's relist would drop
 * the other namespaces' objects from it.
 */
final class IndexedInformer<R extends HasMetadata> {
  /** The objects of one namespace. */
  static final String BY_NAMESPACE = Cache.NAMESPACE_INDEX;

  /** One informer's event source and its store. */
  record Part<R extends HasMetadata>(InformerEventSource<R, Site> source, TrimmedItemStore<R> store) {}

  /** Makes the event source of one informer, named so, on one namespace (null: the controller's), with this store. */
  interface SourceFactory<R extends HasMetadata> {
    InformerEventSource<R, Site> create(String name, String namespace, TrimmedItemStore<R> store);
  }

  private final List<Part<R>> parts;
  private final Map<String, Part<R>> byNamespace = new HashMap<>();

  /**
   * @param watched the namespaces the controller watches (JOSDK's all-namespaces marker for all)
   * @param indexers from an index's name to the values an object is filed under in it
   */
  IndexedInformer(String kind, Set<String> watched, Map<String, Function<R, List<String>>> indexers,
      SourceFactory<R> factory) {
    List<Part<R>> made = new ArrayList<>();
    if (watched.size() <= 1 || InformerConfiguration.allNamespacesWatched(watched)) {
      TrimmedItemStore<R> store = new TrimmedItemStore<>(indexers);
      made.add(new Part<>(factory.create(kind, null, store), store));
    } else {
      for (String namespace : new TreeSet<>(watched)) {
        TrimmedItemStore<R> store = new TrimmedItemStore<>(indexers);
        Part<R> part = new Part<>(factory.create(kind + "@" + namespace, namespace, store), store);
        made.add(part);
        byNamespace.put(namespace, part);
      }
    }
    this.parts = List.copyOf(made);
  }

  /** Every object's namespace, for a kind that is read by namespace. */
  static <R extends HasMetadata> Map<String, Function<R, List<String>>> withNamespaceIndex(
      Map<String, Function<R, List<String>>> indexers) {
    Map<String, Function<R, List<String>>> all = new HashMap<>(indexers);
    all.put(BY_NAMESPACE, o -> o.getMetadata().getNamespace() == null ? List.of() : List.of(o.getMetadata().getNamespace()));
    return all;
  }

  List<InformerEventSource<R, Site>> sources() {
    return parts.stream().map(Part::source).toList();
  }

  /** The namespace each informer of a kind watched per namespace is on, by its event source's name. */
  Map<String, String> namespaceBySource() {
    Map<String, String> namespaces = new HashMap<>();
    byNamespace.forEach((namespace, part) -> namespaces.put(part.source().name(), namespace));
    return namespaces;
  }

  boolean isRunning() {
    return parts.stream().allMatch(p -> p.source().isRunning());
  }

  Optional<R> get(ResourceID id) {
    Part<R> part = parts.size() == 1 ? parts.get(0) : byNamespace.get(id.getNamespace().orElse(""));
    return part == null ? Optional.empty() : Optional.ofNullable(part.store().get(key(id)));
  }

  List<R> byIndex(String name, String value) {
    if (parts.size() == 1) {
      return parts.get(0).store().byIndex(name, value);
    }
    List<R> found = new ArrayList<>();
    parts.forEach(p -> found.addAll(p.store().byIndex(name, value)));
    return found;
  }

  private static String key(ResourceID id) {
    return id.getNamespace().map(ns -> Cache.namespaceKeyFunc(ns, id.getName())).orElse(id.getName());
  }
}
