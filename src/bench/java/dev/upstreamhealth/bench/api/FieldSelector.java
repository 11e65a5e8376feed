package dev.upstreamhealth.bench.api;

import java.util.function.Predicate;

/** The field selectors every resource supports: metadata.name and metadata.namespace, = and !=. */
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
        default -> throw new ApiError(400, "BadRequest", "field selector " + field + " is not served by the bench API server");
      };
      all = all.and(not ? test.negate() : test);
    }
    return all;
  }
}
