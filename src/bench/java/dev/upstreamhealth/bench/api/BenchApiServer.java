package dev.upstreamhealth.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A Kubernetes API server for the bench: what the operator uses (list with resourceVersion and
 * limit/continue, watch with bookmarks, get, create, update, JSON and merge patches, status
 * subresources, delete), for any resource, on loopback, over the JDK's HTTP server. Each
 * request costs time in proportion to its answer ({@link ResourceTable}), so 10,000 Sites and
 * 80,000 pods are served as fast as 10. Not a conformant API server: no admission, no
 * validation, no field selectors, no server-side apply.
 */
public final class BenchApiServer implements AutoCloseable {
  /** Sites write their status through this; the bench times detection from it. */
  public interface StatusListener {
    void statusWritten(String namespace, String name, JsonNode status, long atNanos);
  }

  private static final Map<String, String> KNOWN_KINDS = Map.ofEntries(
      Map.entry("pods", "Pod"), Map.entry("services", "Service"), Map.entry("endpointslices", "EndpointSlice"),
      Map.entry("endpoints", "Endpoints"), Map.entry("deployments", "Deployment"), Map.entry("replicasets", "ReplicaSet"),
      Map.entry("networkpolicies", "NetworkPolicy"), Map.entry("ingresses", "Ingress"),
      Map.entry("ingressclasses", "IngressClass"), Map.entry("sites", "Site"), Map.entry("events", "Event"),
      Map.entry("leases", "Lease"), Map.entry("customresourcedefinitions", "CustomResourceDefinition"),
      Map.entry("namespaces", "Namespace"), Map.entry("configmaps", "ConfigMap"), Map.entry("secrets", "Secret"),
      Map.entry("gateways", "Gateway"), Map.entry("httproutes", "HTTPRoute"), Map.entry("gatewayclasses", "GatewayClass"),
      Map.entry("nodes", "Node"));
  private static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofMinutes(30);

  private final HttpServer http;
  private final ExecutorService threads;
  private final AtomicLong clusterVersion = new AtomicLong(1000);
  private final Map<String, ResourceTable> tables = new ConcurrentHashMap<>();
  private final Map<String, String> kinds = new ConcurrentHashMap<>(KNOWN_KINDS);
  /** Resources whose status is written only through /status (custom resources that declare it). */
  private final Set<String> statusSubresource = ConcurrentHashMap.newKeySet();
  private final RequestTally tally = new RequestTally();
  private final Duration bookmarkInterval;
  private volatile StatusListener statusListener = (ns, name, status, at) -> { };

  private BenchApiServer(Duration bookmarkInterval) throws IOException {
    this.bookmarkInterval = bookmarkInterval;
    http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 512);
    threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bench-api");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(threads);
    http.createContext("/", this::handle);
    http.start();
  }

  /** Listens on 127.0.0.1, any free port; watches get a bookmark after each quiet {@code bookmarkInterval}. */
  public static BenchApiServer start(Duration bookmarkInterval) {
    try {
      return new BenchApiServer(bookmarkInterval);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  public RequestTally tally() {
    return tally;
  }

  public void onStatusWritten(StatusListener listener) {
    this.statusListener = listener;
  }

  // ---- in-process access for the bench: the same writes as over HTTP, without the round trip ----

  /** Stores a new object, as a POST would. */
  public void create(HasMetadata object) {
    ResourcePath path = pathOf(object, null);
    create(path, JsonObjects.parse(Serialization.asJson(object).getBytes(StandardCharsets.UTF_8)), "bench");
  }

  /** Changes one object in place, as a JSON patch would; returns the nanoTime the change was stored. */
  public long edit(HasMetadata like, UnaryOperator<ObjectNode> change) {
    ResourcePath path = pathOf(like, null);
    write(path, (current, rv) -> change.apply(JsonObjects.parse(current.json())), "bench");
    return System.nanoTime();
  }

  public int count(String resource) {
    ResourceTable t = tables.get(resource);
    return t == null ? 0 : t.size();
  }

  /** The stored object, or null. */
  public ObjectNode get(String resource, String namespace, String name) {
    ResourceTable t = tables.get(resource);
    StoredObject o = t == null ? null : t.get(namespace, name);
    return o == null ? null : JsonObjects.parse(o.json());
  }

  /** Every stored object's status (an empty object for none), by "namespace/name". */
  public Map<String, JsonNode> statuses(String resource) {
    ResourceTable t = table(resource);
    Map<String, JsonNode> out = new HashMap<>();
    for (String[] key : t.keys()) {
      StoredObject o = t.get(key[0], key[1]);
      if (o != null) {
        JsonNode status = JsonObjects.parse(o.json()).get("status");
        out.put(key[0] + "/" + key[1], status == null ? JsonObjects.MAPPER.createObjectNode() : status);
      }
    }
    return out;
  }

  /** Removes every Site's status, so a new operator process starts from none. */
  public void clearStatuses(String resource) {
    ResourceTable t = table(resource);
    for (String[] key : t.keys()) {
      t.write(key[0], key[1], (current, rv) -> {
        ObjectNode node = JsonObjects.parse(current.json());
        node.remove("status");
        return JsonObjects.stored(node, rv);
      });
    }
  }

  public int watches() {
    return tables.values().stream().mapToInt(ResourceTable::watchCount).sum();
  }

  private static ResourcePath pathOf(HasMetadata o, String subresource) {
    String apiVersion = o.getApiVersion();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    return new ResourcePath(group, version, HasMetadata.getPlural(o.getClass()), o.getMetadata().getNamespace(),
        o.getMetadata().getName(), subresource);
  }

  // ---- HTTP ----

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String rawPath = ex.getRequestURI().getRawPath();
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    String agent = Objects.requireNonNullElse(ex.getRequestHeaders().getFirst("User-Agent"), "");
    try {
      ResourcePath path = ResourcePath.parse(rawPath);
      if (path == null) {
        tally.count(agent, method, rawPath, "");
        discovery(ex, rawPath);
        return;
      }
      boolean watch = "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
      if (watch && "websocket".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Upgrade"))) {
        // Watches are served over plain HTTP only. Fabric8 tries a WebSocket first and, answered
        // 200 instead of 101, watches over a streamed GET, as through kubectl proxy.
        tally.count(agent, "WEBSOCKET-REFUSED", path.plural(), "");
        send(ex, 200, new byte[0]);
        return;
      }
      tally.count(agent, watch ? "WATCH" : method, path.plural(), path.subresource() == null ? "" : path.subresource());
      switch (method) {
        case "GET" -> {
          if (path.name() != null) {
            StoredObject o = table(path.resource()).get(path.namespace(), path.name());
            if (o == null) {
              throw ApiError.notFound(path.plural() + " " + path.name());
            }
            send(ex, 200, o.json());
          } else if (watch) {
            watch(ex, path, query);
          } else {
            list(ex, path, query);
          }
        }
        case "POST" -> send(ex, 201, path.group().equals("authorization.k8s.io")
            ? allowed(JsonObjects.parse(ex.getRequestBody().readAllBytes())) : create(path, JsonObjects.parse(ex.getRequestBody().readAllBytes()), agent).json());
        case "PUT" -> {
          ObjectNode body = JsonObjects.parse(ex.getRequestBody().readAllBytes());
          send(ex, 200, write(path, (current, rv) -> {
            String sent = body.path("metadata").path("resourceVersion").asText("");
            if (!sent.isEmpty() && !sent.equals(Long.toString(current.resourceVersion()))) {
              throw ApiError.conflict("the object has been modified; please apply your changes to the latest version");
            }
            return body;
          }, agent).json());
        }
        case "PATCH" -> {
          JsonNode patch = JsonObjects.parseAny(ex.getRequestBody().readAllBytes());
          String type = Objects.requireNonNullElse(ex.getRequestHeaders().getFirst("Content-Type"), "");
          send(ex, 200, write(path, (current, rv) -> patched(JsonObjects.parse(current.json()), patch, type), agent).json());
        }
        case "DELETE" -> {
          if (path.name() == null) {
            throw new ApiError(405, "MethodNotAllowed", "collection delete is not served");
          }
          send(ex, 200, table(path.resource()).write(path.namespace(), path.name(), (current, rv) -> null).json());
        }
        default -> throw new ApiError(405, "MethodNotAllowed", method);
      }
    } catch (ApiError e) {
      tally.count(agent, "ANSWERED-" + e.code, ResourcePath.parse(rawPath) == null ? rawPath : ResourcePath.parse(rawPath).plural(), "");
      sendStatus(ex, e);
    } catch (RuntimeException e) {
      sendStatus(ex, new ApiError(500, "InternalError", e.toString()));
    } finally {
      ex.close();
    }
  }

  /** The bench has no RBAC: every self-review (JOSDK checks its Lease rights this way) allows everything. */
  private static byte[] allowed(ObjectNode review) {
    ObjectNode status = review.putObject("status");
    if (review.path("kind").asText().equals("SelfSubjectRulesReview")) {
      status.put("incomplete", false).putArray("nonResourceRules");
      ObjectNode rule = status.putArray("resourceRules").addObject();
      rule.putArray("apiGroups").add("*");
      rule.putArray("resources").add("*");
      rule.putArray("verbs").add("*");
    } else {
      status.put("allowed", true);
    }
    return JsonObjects.bytes(review);
  }

  private static ObjectNode patched(ObjectNode current, JsonNode patch, String contentType) {
    if (contentType.startsWith("application/json-patch+json")) {
      try {
        return (ObjectNode) JsonPatch.apply(patch, current);
      } catch (JsonPatchException e) {
        throw new ApiError(422, "Invalid", "the JSON patch does not apply: " + e.getMessage());
      }
    }
    if (contentType.startsWith("application/merge-patch+json") || contentType.startsWith("application/strategic-merge-patch+json")) {
      return (ObjectNode) MergePatch.apply(current, patch);
    }
    throw new ApiError(415, "UnsupportedMediaType", "patch type " + contentType + " is not served");
  }

  private StoredObject create(ResourcePath path, ObjectNode body, String agent) {
    ObjectNode meta = body.with("metadata");
    if (!meta.hasNonNull("name") && meta.hasNonNull("generateName")) {
      meta.put("name", meta.get("generateName").asText() + UUID.randomUUID().toString().substring(0, 5));
    }
    if (!meta.hasNonNull("name")) {
      throw new ApiError(422, "Invalid", "metadata.name is required");
    }
    if (path.namespace() != null) {
      meta.put("namespace", path.namespace());
    }
    String name = meta.get("name").asText();
    if (body.hasNonNull("kind")) {
      kinds.putIfAbsent(path.resource(), body.get("kind").asText());
    }
    StoredObject created = table(path.resource()).write(path.namespace(), name, (current, rv) -> {
      if (current != null) {
        throw ApiError.alreadyExists(path.plural() + " " + name);
      }
      meta.put("uid", UUID.randomUUID().toString());
      meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      meta.put("generation", 1);
      return JsonObjects.stored(body, rv);
    });
    if (path.plural().equals("customresourcedefinitions")) {
      learnCrd(body);
    }
    statusWritten(path, null, body, agent);
    return created;
  }

  /** Custom resources with a status subresource keep spec and status apart, like the API server. */
  private void learnCrd(ObjectNode crd) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText();
    String plural = spec.path("names").path("plural").asText();
    for (JsonNode v : spec.path("versions")) {
      kinds.put(group + "/" + v.path("name").asText() + "/" + plural, spec.path("names").path("kind").asText());
      if (v.path("subresources").has("status")) {
        statusSubresource.add(group + "/" + v.path("name").asText() + "/" + plural);
      }
    }
  }

  interface Edit {
    ObjectNode apply(StoredObject current, long resourceVersion);
  }

  /** An update (PUT or PATCH, of the object or its status) with what the API server keeps and bumps. */
  private StoredObject write(ResourcePath path, Edit edit, String agent) {
    JsonNode[] before = new JsonNode[1];
    ObjectNode[] after = new ObjectNode[1];
    StoredObject stored = table(path.resource()).write(path.namespace(), path.name(), (current, rv) -> {
      if (current == null) {
        return null;
      }
      ObjectNode old = JsonObjects.parse(current.json());
      ObjectNode next = edit.apply(current, rv);
      boolean statusOnly = "status".equals(path.subresource());
      if (statusOnly) {
        ObjectNode kept = old.deepCopy();
        if (next.has("status")) {
          kept.set("status", next.get("status"));
        } else {
          kept.remove("status");
        }
        next = kept;
      } else if (statusSubresource.contains(path.resource())) {
        if (old.has("status")) {
          next.set("status", old.get("status"));
        } else {
          next.remove("status");
        }
      }
      ObjectNode meta = next.with("metadata");
      JsonNode oldMeta = old.get("metadata");
      for (String kept : List.of("uid", "creationTimestamp", "namespace", "name")) {
        if (oldMeta.has(kept)) {
          meta.set(kept, oldMeta.get(kept));
        }
      }
      long generation = oldMeta.path("generation").asLong(1);
      meta.put("generation", !statusOnly && !sameSpec(old, next) ? generation + 1 : generation);
      before[0] = old.get("status");
      after[0] = next;
      return JsonObjects.stored(next, rv);
    });
    if (after[0] != null && !Objects.equals(before[0], after[0].get("status"))) {
      statusWritten(path, before[0], after[0], agent);
    }
    return stored;
  }

  /** Everything but metadata and status: what metadata.generation counts changes of. */
  private static boolean sameSpec(ObjectNode a, ObjectNode b) {
    ObjectNode x = a.deepCopy();
    ObjectNode y = b.deepCopy();
    for (ObjectNode n : List.of(x, y)) {
      n.remove("metadata");
      n.remove("status");
    }
    return x.equals(y);
  }

  private void statusWritten(ResourcePath path, JsonNode before, ObjectNode after, String agent) {
    if (path.plural().equals("sites") && after.hasNonNull("status")) {
      JsonNode meta = after.get("metadata");
      statusListener.statusWritten(meta.path("namespace").asText(), meta.path("name").asText(), after.get("status"),
          System.nanoTime());
    }
  }

  private ResourceTable table(String resource) {
    return tables.computeIfAbsent(resource, r -> new ResourceTable(r, clusterVersion));
  }

  private String kindOf(ResourcePath path) {
    return kinds.getOrDefault(path.resource(), kinds.getOrDefault(path.plural(), "Unknown"));
  }

  private void list(HttpExchange ex, ResourcePath path, Map<String, String> query) throws IOException {
    Predicate<StoredObject> selected = selection(query);
    long limit = query.containsKey("limit") ? Long.parseLong(query.get("limit")) : 0;
    ResourceTable.Page page = table(path.resource()).list(path.namespace(), selected, limit, query.get("continue"));
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
      out.write(("{\"kind\":\"" + kindOf(path) + "List\",\"apiVersion\":\"" + path.apiVersion()
          + "\",\"metadata\":{\"resourceVersion\":\"" + page.resourceVersion() + "\""
          + (page.continueToken() == null ? "" : ",\"continue\":\"" + page.continueToken() + "\"")
          + "},\"items\":[").getBytes(StandardCharsets.UTF_8));
      boolean first = true;
      for (StoredObject o : page.items()) {
        if (!first) {
          out.write(',');
        }
        first = false;
        out.write(o.json());
      }
      out.write("]}".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Predicate<StoredObject> selection(Map<String, String> query) {
    Predicate<Map<String, String>> labels = LabelSelector.parse(query.get("labelSelector"));
    Predicate<StoredObject> fields = FieldSelector.parse(query.get("fieldSelector"));
    return o -> labels.test(o.labels()) && fields.test(o);
  }

  private void watch(HttpExchange ex, ResourcePath path, Map<String, String> query) throws IOException {
    ResourceTable table = table(path.resource());
    WatchStream w = new WatchStream(path.namespace(), selection(query), path.apiVersion(), kindOf(path));
    boolean bookmarks = "true".equals(query.get("allowWatchBookmarks"));
    long timeout = query.containsKey("timeoutSeconds")
        ? Long.parseLong(query.get("timeoutSeconds")) * 1000 : DEFAULT_WATCH_TIMEOUT.toMillis();
    String rv = query.getOrDefault("resourceVersion", "");
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    try {
      table.watch(w, rv.isEmpty() ? clusterVersion.get() : Long.parseLong(rv));
    } catch (ApiError gone) {
      out.write(WatchStream.frame("ERROR", status(gone)));
      out.close();
      return;
    }
    long end = System.currentTimeMillis() + timeout;
    try {
      while (System.currentTimeMillis() < end) {
        byte[] frame = w.next(Math.min(bookmarkInterval.toMillis(), Math.max(1, end - System.currentTimeMillis())));
        if (frame == null) {
          if (bookmarks) {
            table.bookmark(w);
          }
          continue;
        }
        out.write(frame);
        for (byte[] more = w.poll(); more != null; more = w.poll()) {
          out.write(more);
        }
        out.flush();
      }
      out.close();
    } catch (IOException | InterruptedException clientGone) {
      // The client closed the watch (or the bench is stopping): nothing more to send.
    } finally {
      table.unwatch(w);
    }
  }

  private void discovery(HttpExchange ex, String path) throws IOException {
    switch (path.replaceAll("/+$", "")) {
      case "/version" -> send(ex, 200, ("{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0-bench\","
          + "\"platform\":\"linux/amd64\"}").getBytes(StandardCharsets.UTF_8));
      case "/api" -> send(ex, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}".getBytes(StandardCharsets.UTF_8));
      default -> throw ApiError.notFound("path " + path);
    }
  }

  private static void send(HttpExchange ex, int code, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void sendStatus(HttpExchange ex, ApiError e) throws IOException {
    try {
      send(ex, e.code, status(e));
    } catch (IOException | RuntimeException alreadySending) {
      // The response had begun (a watch): the client sees the stream end.
    }
  }

  private static byte[] status(ApiError e) {
    ObjectNode s = JsonObjects.MAPPER.createObjectNode();
    s.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure").put("message", e.getMessage())
        .put("reason", e.reason).put("code", e.code);
    s.putObject("metadata");
    return JsonObjects.bytes(s);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  @Override
  public void close() {
    http.stop(0);
    threads.shutdownNow();
  }
}
