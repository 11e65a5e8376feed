package dev.upstreamhealth.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON Merge Patch (RFC 7386). Strategic merge patches are applied the same way: the bench and
 * the operator never send one that relies on merge keys of lists.
 */
final class MergePatch {
  private MergePatch() {
  }

  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out = target != null && target.isObject() ? (ObjectNode) target : JsonObjects.MAPPER.createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (f.getValue().isNull()) {
        out.remove(f.getKey());
      } else {
        out.set(f.getKey(), apply(out.get(f.getKey()), f.getValue()));
      }
    }
    return out;
  }
}
