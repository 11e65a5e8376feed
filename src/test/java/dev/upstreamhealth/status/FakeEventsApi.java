package dev.upstreamhealth.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API server that knows only Events: each create takes {@code latency} (an API server under
 * load) and is kept in the order answered; a namespace can be told to refuse them with a status.
 */
final class FakeEventsApi implements AutoCloseable {
  record Created(String namespace, String site, String type, String reason) {}

  private static final Pattern EVENTS = Pattern.compile("/api/v1/namespaces/([^/]+)/events");
  private final KubernetesSerialization json = new KubernetesSerialization();
  private final Duration latency;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(16);
  private final ScheduledExecutorService answers = Executors.newScheduledThreadPool(4);
  private final KubernetesClient client;
  private final List<Created> created = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> refusing = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();

  FakeEventsApi(Duration latency) {
    this.latency = latency;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::answer);
    server.start();
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
        .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort()).build()).build();
  }

  KubernetesClient client() {
    return client;
  }

  /** Creates in this namespace are answered {@code status} until {@link #accept}. */
  void refuse(String namespace, int status) {
    refusing.put(namespace, status);
  }

  void accept(String namespace) {
    refusing.remove(namespace);
  }

  int refused(String namespace) {
    return refused.getOrDefault(namespace, new AtomicInteger()).get();
  }

  List<Created> created() {
    return List.copyOf(created);
  }

  List<Created> created(String namespace, String site) {
    return created.stream().filter(c -> c.namespace().equals(namespace) && c.site().equals(site)).toList();
  }

  private void answer(HttpExchange exchange) throws IOException {
    Matcher m = EVENTS.matcher(exchange.getRequestURI().getPath());
    if (!"POST".equals(exchange.getRequestMethod()) || !m.matches()) {
      reply(exchange, 404, status(404, "NotFound"));
      return;
    }
    String namespace = m.group(1);
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Integer refusal = refusing.get(namespace);
    if (refusal != null) {
      refused.computeIfAbsent(namespace, n -> new AtomicInteger()).incrementAndGet();
      reply(exchange, refusal, status(refusal, refusal == 429 ? "TooManyRequests" : "Forbidden"));
      return;
    }
    // The server's time per create: the answer comes that much later, from a timer, and the
    // Event counts as created when it is answered.
    answers.schedule(() -> {
      Event event = json.unmarshal(body, Event.class);
      created.add(new Created(namespace, event.getInvolvedObject().getName(), event.getType(), event.getReason()));
      try {
        reply(exchange, 201, body);
      } catch (IOException e) {
        exchange.close();
      }
    }, latency.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static String status(int code, String reason) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code
        + ",\"reason\":\"" + reason + "\"}";
  }

  private static void reply(HttpExchange exchange, int code, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    client.close();
    server.stop(0);
    threads.shutdownNow();
    answers.shutdownNow();
  }
}
