package dev.upstreamhealth.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of JSONPath that additionalPrinterColumns use in practice: {@code .a.b}, {@code .a[0]}
 * and {@code .a[?(@.type=="Ready")].status}. Anything else yields no value, as an API server
 * shows an empty cell for a path that does not resolve.
 */
final class PrinterColumnPath {
  private static final Pattern STEP = Pattern.compile(
      "\\.([A-Za-z0-9_-]+)|\\[(\\d+)]|\\[\\?\\(@\\.([A-Za-z0-9_-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)]");

  private PrinterColumnPath() {}

  /** The values {@code path} selects in {@code object}, as text, joined by commas like kubectl's. */
  static String evaluate(JsonNode object, String path) {
    List<JsonNode> current = List.of(object);
    Matcher m = STEP.matcher(path);
    int at = 0;
    while (at < path.length()) {
      if (!m.find(at) || m.start() != at) {
        return "";
      }
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        if (m.group(1) != null) {
          add(next, node.get(m.group(1)));
        } else if (m.group(2) != null) {
          add(next, node.get(Integer.parseInt(m.group(2))));
        } else if (node.isArray()) {
          node.forEach(e -> {
            if (m.group(4).equals(e.path(m.group(3)).asText(null))) {
              next.add(e);
            }
          });
        }
      }
      current = next;
      at = m.end();
    }
    List<String> texts = new ArrayList<>();
    current.forEach(n -> texts.add(n.isValueNode() ? n.asText() : n.toString()));
    return String.join(",", texts);
  }

  private static void add(List<JsonNode> to, JsonNode node) {
    if (node != null && !node.isNull() && !node.isMissingNode()) {
      to.add(node);
    }
  }
}
