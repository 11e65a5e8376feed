package dev.upstreamhealth.reconciler;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.upstreamhealth.api.SiteSpec;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a Site's spec without ever failing the whole Site. An API server that applies no schema
 * (Fabric8's mock; a CRD installed without one) stores "thirty" in an integer field, and a Site
 * that cannot be decoded stops the informer that lists it, every other Site with it. What cannot
 * be read becomes a spec that says which field and why (InvalidSpec), and is written back as it
 * was stored, so that a copy of the Site (a status write sends the spec along) reads the same. Part of
 * how the operator's client decodes ({@link OperatorDecoding}); the model itself stays plain.
 */
final class LenientSiteSpec {
  private LenientSiteSpec() {}

  static final class Reader extends JsonDeserializer<SiteSpec> {
    @Override
    public SiteSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      JsonNode stored = parser.readValueAsTree();
      try {
        return parser.getCodec().treeToValue(stored, SiteSpec.class);
      } catch (JacksonException e) {
        @SuppressWarnings("unchecked")
        Map<String, Object> asStored = parser.getCodec().treeToValue(stored, Map.class);
        return SiteSpec.unreadable(asStored, describe(e));
      }
    }
  }

  static final class Writer extends JsonSerializer<SiteSpec> {
    @Override
    public void serialize(SiteSpec spec, JsonGenerator generator, SerializerProvider provider) throws IOException {
      if (spec.getUnreadableAsStored() != null) {
        generator.writeObject(spec.getUnreadableAsStored());
      } else {
        provider.findValueSerializer(SiteSpec.class).serialize(spec, generator, provider);
      }
    }
  }

  /** "spec.probe.intervalSeconds is "thirty", not an integer", from what Jackson could not read. */
  static String describe(JacksonException e) {
    String field = "spec";
    String value = "";
    String wanted = "of the kind the CRD declares";
    if (e instanceof JsonMappingException m) {
      field += m.getPath().stream()
          .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining());
    }
    boolean outOfRange = e.getOriginalMessage() != null && e.getOriginalMessage().contains("out of range");
    if (e instanceof InvalidFormatException f) {
      value = outOfRange ? " is " + f.getValue() + "," : " is \"" + f.getValue() + "\",";
    }
    if (outOfRange) {
      wanted = "an integer in range";
    } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      wanted = kind(m.getTargetType());
    }
    return field + value + " not " + wanted + " (stored without the CRD's schema, which would have refused it)";
  }

  private static String kind(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "an object";
  }
}
