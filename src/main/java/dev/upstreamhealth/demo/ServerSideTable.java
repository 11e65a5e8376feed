package dev.upstreamhealth.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A meta.k8s.io/v1 Table, as an API server answers {@code kubectl get}: without it kubectl shows
 * only NAME and AGE. Sites get the CRD's printer columns, Events the columns of a real server.
 */
final class ServerSideTable {
  private static final ObjectMapper JSON = Serialization.jsonMapper();

  private record Column(String name, String type, String description, Function<JsonNode, String> cell) {}

  private final List<Column> columns;

  private ServerSideTable(List<Column> columns) {
    this.columns = columns;
  }

  /** The Table for a GET of {@code path} (no query), or null when the mock's plain answer will do. */
  static ServerSideTable forPath(String path, CustomResourceDefinition siteCrd) {
    String group = siteCrd.getSpec().getGroup();
    String plural = siteCrd.getSpec().getNames().getPlural();
    for (var version : siteCrd.getSpec().getVersions()) {
      if (path.matches("/apis/" + group.replace(".", "\\.") + "/" + version.getName()
          + "(/namespaces/[^/]+)?/" + plural + "(/[^/]+)?")) {
        List<Column> columns = new ArrayList<>();
        columns.add(nameColumn());
        for (CustomResourceColumnDefinition c : version.getAdditionalPrinterColumns()) {
          boolean date = "date".equals(c.getType());
          columns.add(new Column(c.getName(), date ? "string" : c.getType(), c.getDescription(), o -> {
            String value = PrinterColumnPath.evaluate(o, c.getJsonPath());
            return date ? age(value) : value;
          }));
        }
        return new ServerSideTable(columns);
      }
    }
    if (path.matches("/api/v1(/namespaces/[^/]+)?/events(/[^/]+)?")) {
      return new ServerSideTable(List.of(
          new Column("Last Seen", "string", "Time since the Event was last seen", e -> age(lastSeen(e))),
          new Column("Type", "string", "Normal or Warning", e -> e.path("type").asText()),
          new Column("Reason", "string", "Why the Event was recorded", e -> e.path("reason").asText()),
          new Column("Object", "string", "The object the Event is about",
              e -> e.path("involvedObject").path("kind").asText().toLowerCase() + "/"
                  + e.path("involvedObject").path("name").asText()),
          new Column("Message", "string", "What happened", e -> e.path("message").asText())));
    }
    return null;
  }

  private static Column nameColumn() {
    return new Column("Name", "string", "Name must be unique within a namespace.",
        o -> o.path("metadata").path("name").asText());
  }

  private static String lastSeen(JsonNode event) {
    for (String field : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
      if (event.hasNonNull(field)) {
        return event.get(field).asText();
      }
    }
    return event.path("metadata").path("creationTimestamp").asText();
  }

  /** The mock's answer (one object or a list) as a Table with a row per object. */
  String render(String body) {
    try {
      JsonNode answer = JSON.readTree(body);
      List<JsonNode> objects = new ArrayList<>();
      if (answer.has("items")) {
        answer.get("items").forEach(objects::add);
      } else {
        objects.add(answer);
      }
      ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
      table.putObject("metadata").put("resourceVersion", answer.path("metadata").path("resourceVersion").asText(""));
      ArrayNode definitions = table.putArray("columnDefinitions");
      for (Column c : columns) {
        ObjectNode d = definitions.addObject().put("name", c.name()).put("type", c.type())
            .put("format", c.name().equals("Name") ? "name" : "").put("priority", 0);
        d.put("description", c.description() == null ? "" : c.description());
      }
      ArrayNode rows = table.putArray("rows");
      for (JsonNode o : objects) {
        ObjectNode row = rows.addObject();
        ArrayNode cells = row.putArray("cells");
        columns.forEach(c -> cells.add(c.cell().apply(o)));
        // The whole object: kubectl reads the namespace of -A listings from it.
        row.set("object", o);
      }
      return JSON.writeValueAsString(table);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Time since {@code timestamp} the way kubectl prints ages: 45s, 3m12s, 2h5m, 3d. */
  static String age(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return "<unknown>";
    }
    Duration d;
    try {
      d = Duration.between(Instant.parse(timestamp), Instant.now());
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
    long s = d.getSeconds();
    if (s < 0) {
      return "0s";
    }
    if (s < 120) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 10) {
      return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
    }
    if (m < 180) {
      return m + "m";
    }
    long h = m / 60;
    if (h < 8) {
      return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
    }
    return h < 48 ? h + "h" : (h / 24) + "d";
  }
}
