package dev.upstreamhealth.reconciler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the operator's client decodes what the API server sends: without the managed fields and
 * without kubectl's last-applied copy of the object.
 *
 * <p>No diagnosis reads either, and {@link CachedObjectTrim} drops both from the caches anyway;
 * skipping them while parsing spares building them first. At start-up the operator decodes every pod, Service,
 * EndpointSlice and workload of the cluster (140,000 objects at 10,000 Sites), and these two are
 * often the larger part of each.
 *
 * <p>Safe for writes: the operator never sends back a whole object it read, except the leader
 * election Lease, and an update without managed fields keeps the API server's.
 */
public final class OperatorDecoding {
  private OperatorDecoding() {
  }

  /** A client builder that decodes this way; the rest (config, HTTP client) is the caller's. */
  public static KubernetesClientBuilder apply(KubernetesClientBuilder builder) {
    return builder.withKubernetesSerialization(serialization());
  }

  /**
   * How JOSDK hands a Site to the reconciler: the cached object itself, not a copy. The reconcile
   * only reads it: a status is written from a new Site built around the new status
   * (SiteReconciler#replaceStatus), and JOSDK writes nothing of its own (no finalizer, no patch
   * returned). A copy, even through Jackson's token buffer, was a fifth of the reconcile threads'
   * CPU at start-up with 10,000 Sites. What the informer's cache holds is read-only where it can
   * be: the status's lists and the metadata's maps ({@link CachedObjectTrim}), so a write there
   * fails loudly rather than changing the cached Site under every other reader. The Site JOSDK
   * keeps from the operator's own last status write, until its watch event arrives, is the API
   * server's answer as decoded, not trimmed: only the rule keeps writes out of it.
   */
  public static Cloner sharedSite() {
    return new Cloner() {
      @Override
      public <R extends HasMetadata> R clone(R object) {
        return object;
      }
    };
  }

  static KubernetesSerialization serialization() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.addMixIn(ObjectMeta.class, LeanObjectMeta.class);
    mapper.addMixIn(Site.class, LenientSite.class);
    return new KubernetesSerialization(mapper, true);
  }

  /** A Site's spec is read even when it holds what the model cannot (LenientSiteSpec). */
  private abstract static class LenientSite {
    @JsonSerialize(using = LenientSiteSpec.Writer.class)
    abstract SiteSpec getSpec();

    @JsonDeserialize(using = LenientSiteSpec.Reader.class)
    abstract void setSpec(SiteSpec spec);
  }

  /** Written as before; read without the managed fields and with the annotations filtered. */
  @JsonIgnoreProperties(value = "managedFields", allowGetters = true)
  private abstract static class LeanObjectMeta {
    @JsonDeserialize(using = AnnotationsWithoutLastApplied.class)
    abstract void setAnnotations(Map<String, String> annotations);
  }

  /** Skips the last-applied value unread: the parser never builds its (often kilobytes of) text. */
  static final class AnnotationsWithoutLastApplied extends JsonDeserializer<Map<String, String>> {
    @Override
    public Map<String, String> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        return ctxt.reportInputMismatch(Map.class, "annotations must be an object, not %s", p.currentToken());
      }
      Map<String, String> annotations = new LinkedHashMap<>();
      for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          return ctxt.reportInputMismatch(Map.class, "annotation %s must be a string", key);
        } else if (key.equals(CachedObjectTrim.LAST_APPLIED)) {
          continue;
        } else if (value == JsonToken.VALUE_NULL) {
          annotations.put(key, null);
        } else {
          annotations.put(key, p.getValueAsString());
        }
      }
      return annotations;
    }
  }
}
