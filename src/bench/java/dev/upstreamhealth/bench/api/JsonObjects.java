package dev.upstreamhealth.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Objects are kept as JSON bytes (a tree per object would take several times the memory). */
final class JsonObjects {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonObjects() {
  }

  static ObjectNode parse(byte[] json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (!(node instanceof ObjectNode object)) {
        throw ApiError.badRequest("expected a JSON object");
      }
      return object;
    } catch (IOException e) {
      throw ApiError.badRequest("not JSON: " + e.getMessage());
    }
  }

  static JsonNode parseAny(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw ApiError.badRequest("not JSON: " + e.getMessage());
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static StoredObject stored(ObjectNode node, long resourceVersion) {
    ObjectNode meta = node.with("metadata");
    meta.put("resourceVersion", Long.toString(resourceVersion));
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode l = meta.get("labels");
    if (l != null && l.isObject()) {
      l.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    }
    String ns = meta.hasNonNull("namespace") ? meta.get("namespace").asText() : null;
    return new StoredObject(ns, meta.get("name").asText(), resourceVersion, labels.isEmpty() ? Map.of() : labels, bytes(node));
  }

  static byte[] withResourceVersion(byte[] json, long resourceVersion) {
    ObjectNode node = parse(json);
    node.with("metadata").put("resourceVersion", Long.toString(resourceVersion));
    return bytes(node);
  }
}
