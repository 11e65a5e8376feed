package dev.upstreamhealth.bench.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The objects of one resource (group/version/plural), indexed by namespace and then name, so a
 * get costs a lookup and a list costs what it returns: the namespace's objects, or each
 * namespace's in turn. Writes take the table's lock, get the next cluster-wide resourceVersion
 * and go to every watch of the table; the latest events are kept so a watch may start from a
 * recent resourceVersion, as etcd's history allows.
 */
final class ResourceTable {
  /** Watch events kept for watches that start from an older resourceVersion. */
  static final int HISTORY = 20_000;

  record Event(String type, StoredObject object) {
  }

  /** One page of a list. */
  record Page(List<StoredObject> items, long resourceVersion, String continueToken) {
  }

  final String resource;
  private final AtomicLong clusterVersion;
  private final NavigableMap<String, NavigableMap<String, StoredObject>> byNamespace = new TreeMap<>();
  private final ArrayDeque<Event> history = new ArrayDeque<>();
  /** Every event after this resourceVersion is in {@link #history}. */
  private long historyFrom;
  private final List<WatchStream> watches = new CopyOnWriteArrayList<>();
  private int size;

  ResourceTable(String resource, AtomicLong clusterVersion) {
    this.resource = resource;
    this.clusterVersion = clusterVersion;
  }

  synchronized StoredObject get(String namespace, String name) {
    NavigableMap<String, StoredObject> ns = byNamespace.get(nsKey(namespace));
    return ns == null ? null : ns.get(name);
  }

  synchronized int size() {
    return size;
  }

  /**
   * Sets (or, when {@code change} returns null, deletes) one object. {@code change} gets the
   * current object (null if none) and the resourceVersion the result will have, and returns the
   * new JSON; it may throw an {@link ApiError}. Returns the stored result.
   */
  synchronized StoredObject write(String namespace, String name, Change change) {
    String ns = nsKey(namespace);
    NavigableMap<String, StoredObject> objects = byNamespace.get(ns);
    StoredObject current = objects == null ? null : objects.get(name);
    // Taken in one step: tables are written in parallel, each under its own lock, and reading the
    // version then setting it could give two writes the same one or set it back, so that a watch
    // saw a table's versions go backwards. A write refused below leaves a gap, as etcd's do.
    long rv = clusterVersion.incrementAndGet();
    StoredObject next = change.apply(current, rv);
    if (next == null && current == null) {
      throw ApiError.notFound(resource + " " + ns + "/" + name);
    }
    if (next == null) {
      objects.remove(name);
      size--;
      // The deleted object as last seen, with the deletion's resourceVersion, as watches report it.
      StoredObject deleted = new StoredObject(current.namespace(), current.name(), rv, current.labels(),
          JsonObjects.withResourceVersion(current.json(), rv));
      publish(new Event("DELETED", deleted));
      return deleted;
    }
    if (objects == null) {
      objects = new TreeMap<>();
      byNamespace.put(ns, objects);
    }
    objects.put(name, next);
    if (current == null) {
      size++;
    }
    publish(new Event(current == null ? "ADDED" : "MODIFIED", next));
    return next;
  }

  /** The next resourceVersion is computed under this table's lock, with the JSON that carries it. */
  interface Change {
    StoredObject apply(StoredObject current, long resourceVersion);
  }

  private void publish(Event e) {
    if (watches.isEmpty()) {
      // Nobody watches (the bench filling the store): keep no history, so memory stays flat.
      history.clear();
      historyFrom = e.object().resourceVersion();
      return;
    }
    history.addLast(e);
    if (history.size() > HISTORY) {
      historyFrom = history.removeFirst().object().resourceVersion();
    }
    for (WatchStream w : watches) {
      w.offer(e);
    }
  }

  /**
   * One page of objects in {@code namespace} (null: all), in namespace and name order, after the
   * position {@code continueToken} names.
   */
  synchronized Page list(String namespace, Predicate<StoredObject> selected, long limit, String continueToken) {
    String afterNs = "";
    String afterName = null;
    if (continueToken != null && !continueToken.isEmpty()) {
      String[] position = new String(Base64.getUrlDecoder().decode(continueToken), StandardCharsets.UTF_8).split("\u0000", 2);
      afterNs = position[0];
      afterName = position[1];
    }
    List<StoredObject> out = new ArrayList<>();
    long max = limit <= 0 ? Long.MAX_VALUE : limit;
    Map<String, NavigableMap<String, StoredObject>> spaces = namespace == null
        ? byNamespace.tailMap(afterNs, true)
        : byNamespace.containsKey(namespace) ? Map.of(namespace, byNamespace.get(namespace)) : Map.of();
    String lastNs = null;
    String lastName = null;
    boolean more = false;
    outer:
    for (Map.Entry<String, NavigableMap<String, StoredObject>> space : spaces.entrySet()) {
      Map<String, StoredObject> objects = afterName != null && space.getKey().equals(afterNs)
          ? space.getValue().tailMap(afterName, false) : space.getValue();
      for (StoredObject o : objects.values()) {
        if (!selected.test(o)) {
          continue;
        }
        if (out.size() >= max) {
          more = true;
          break outer;
        }
        out.add(o);
        lastNs = space.getKey();
        lastName = o.name();
      }
    }
    String next = more ? Base64.getUrlEncoder().encodeToString((lastNs + "\u0000" + lastName).getBytes(StandardCharsets.UTF_8)) : null;
    return new Page(out, clusterVersion.get(), next);
  }

  /**
   * Registers a watch from {@code fromVersion} (0: the current objects first, as ADDED events).
   *
   * @throws ApiError 410 when events after that version are no longer kept
   */
  synchronized void watch(WatchStream w, long fromVersion) {
    if (fromVersion == 0) {
      for (NavigableMap<String, StoredObject> objects : byNamespace.values()) {
        objects.values().forEach(o -> w.offer(new Event("ADDED", o)));
      }
    } else {
      if (fromVersion < historyFrom) {
        throw ApiError.gone("too old resource version: " + fromVersion + " (" + historyFrom + ")");
      }
      for (Event e : history) {
        if (e.object().resourceVersion() > fromVersion) {
          w.offer(e);
        }
      }
    }
    watches.add(w);
  }

  void unwatch(WatchStream w) {
    watches.remove(w);
  }

  /**
   * A bookmark for {@code w}: taken under the lock, so every event of this table up to the
   * version it names is already queued before it.
   */
  synchronized void bookmark(WatchStream w) {
    w.offerBookmark(clusterVersion.get());
  }

  int watchCount() {
    return watches.size();
  }

  private static String nsKey(String namespace) {
    return namespace == null ? "" : namespace;
  }

  /** Namespace and name of every object (the bench clearing statuses between runs). */
  synchronized List<String[]> keys() {
    List<String[]> out = new ArrayList<>();
    byNamespace.forEach((ns, objects) -> objects.keySet().forEach(n -> out.add(new String[] {ns, n})));
    return out;
  }
}
