package dev.upstreamhealth.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The terms of an Event list's field selector that the CRUD mock cannot evaluate (it answers
 * nothing for them): {@code involvedObject.*}, which {@code kubectl describe} sends, and
 * {@code reason} and {@code type}, by which the operator watches FailedCreate Warnings only. They
 * are taken off the request and applied to the answer instead; a watch gets every Event.
 */
final class EventFieldSelector {
  private static final String PREFIX = "involvedObject.";

  private final String remainingPath;
  private final Map<String, String> terms;

  private EventFieldSelector(String remainingPath, Map<String, String> terms) {
    this.remainingPath = remainingPath;
    this.terms = terms;
  }

  static EventFieldSelector of(String path) {
    int q = path.indexOf('?');
    String pathOnly = q < 0 ? path : path.substring(0, q);
    if (q < 0 || !pathOnly.matches("/api/v1(/namespaces/[^/]+)?/events")) {
      return new EventFieldSelector(path, Map.of());
    }
    Map<String, String> terms = new LinkedHashMap<>();
    List<String> params = new ArrayList<>();
    for (String param : path.substring(q + 1).split("&")) {
      if (!param.startsWith("fieldSelector=")) {
        params.add(param);
        continue;
      }
      List<String> kept = new ArrayList<>();
      String selector = URLDecoder.decode(param.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
      for (String term : selector.split(",")) {
        int eq = term.indexOf('=');
        String field = eq > 0 ? term.substring(0, eq) : "";
        if ((field.startsWith(PREFIX) || field.equals("reason") || field.equals("type")) && !term.contains("!=")) {
          terms.put(field, term.substring(eq + 1).replaceFirst("^=", ""));
        } else if (!term.isBlank()) {
          kept.add(term);
        }
      }
      if (!kept.isEmpty()) {
        params.add("fieldSelector=" + URLEncoder.encode(String.join(",", kept), StandardCharsets.UTF_8));
      }
    }
    return new EventFieldSelector(params.isEmpty() ? pathOnly : pathOnly + "?" + String.join("&", params), terms);
  }

  boolean isEmpty() {
    return terms.isEmpty();
  }

  String remainingPath() {
    return remainingPath;
  }

  /** The Event list {@code json} with only the items that match every term. */
  String filter(String json) {
    if (terms.isEmpty()) {
      return json;
    }
    try {
      JsonNode list = Serialization.jsonMapper().readTree(json);
      if (!(list.get("items") instanceof ArrayNode items)) {
        return json;
      }
      ArrayNode kept = items.arrayNode();
      items.forEach(item -> {
        if (terms.entrySet().stream().allMatch(t -> t.getValue().equals(field(item, t.getKey()).asText()))) {
          kept.add(item);
        }
      });
      ((ObjectNode) list).set("items", kept);
      // The mock says "List"; kubectl's typed client decodes only an EventList and else shows none.
      ((ObjectNode) list).put("kind", "EventList");
      return Serialization.jsonMapper().writeValueAsString(list);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode field(JsonNode item, String path) {
    JsonNode node = item;
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }
}
