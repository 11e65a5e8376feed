package dev.upstreamhealth.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/**
 * Field selectors, {@code =}, {@code ==} and {@code !=}: {@code metadata.name} and
 * {@code metadata.namespace} from the index, any other dotted path (an Event's {@code reason},
 * {@code type}, {@code involvedObject.kind}) read from the object's JSON. The API server allows
 * only some fields per kind; this one allows any, which a client that works there never notices.
 */
final class FieldSelector {
  private FieldSelector() {
  }

  static Predicate<StoredObject> parse(String selector) {
    Predicate<StoredObject> all = o -> true;
    if (selector == null || selector.isBlank()) {
      return all;
    }
    for (String term : selector.split(",")) {
      boolean not = term.contains("!=");
      String[] kv = term.split(not ? "!=" : "==?", 2);
      String field = kv[0].strip();
      String value = kv.length > 1 ? kv[1].strip() : "";
      Predicate<StoredObject> test = switch (field) {
        case "metadata.name" -> o -> value.equals(o.name());
        case "metadata.namespace" -> o -> value.equals(o.namespace());
        default -> o -> value.equals(read(o, field));
      };
      all = all.and(not ? test.negate() : test);
    }
    return all;
  }

  private static String read(StoredObject o, String dottedPath) {
    JsonNode node = JsonObjects.parse(o.json());
    for (String part : dottedPath.split("\\.")) {
      node = node.path(part);
    }
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }
}
