package dev.upstreamhealth.gatewayapi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * The Gateway API's ListenerSet (standard since v1.5): listeners a team adds to a shared Gateway,
 * to which routes attach as their parent. The client's model has no such class yet; this one
 * reads what the operator needs and ignores the rest. A ListenerSet entry has a Gateway
 * listener's fields, so {@link Listener} reads it. Registered with the client's decoder in
 * META-INF/services, as the client's own models are; decoded as itself, not again by kind.
 */
@Group("gateway.networking.k8s.io")
@Version("v1")
@JsonDeserialize(using = JsonDeserializer.None.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ListenerSet implements HasMetadata, Namespaced {
  private String apiVersion = "gateway.networking.k8s.io/v1";
  private String kind = "ListenerSet";
  private ObjectMeta metadata;
  private Spec spec;
  private Status status;

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  @Override
  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  @Override
  public ObjectMeta getMetadata() {
    return metadata;
  }

  @Override
  public void setMetadata(ObjectMeta metadata) {
    this.metadata = metadata;
  }

  public Spec getSpec() {
    return spec;
  }

  public void setSpec(Spec spec) {
    this.spec = spec;
  }

  public Status getStatus() {
    return status;
  }

  public void setStatus(Status status) {
    this.status = status;
  }

  /** The Gateway the listeners are added to, and the listeners. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Spec {
    private ParentGatewayReference parentRef;
    private List<Listener> listeners = new ArrayList<>();

    public ParentGatewayReference getParentRef() {
      return parentRef;
    }

    public void setParentRef(ParentGatewayReference parentRef) {
      this.parentRef = parentRef;
    }

    public List<Listener> getListeners() {
      return listeners;
    }

    public void setListeners(List<Listener> listeners) {
      this.listeners = listeners;
    }
  }

  /** A Gateway, by name; its namespace is the ListenerSet's when none is given. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class ParentGatewayReference {
    private String group;
    private String kind;
    private String name;
    private String namespace;

    public String getGroup() {
      return group;
    }

    public void setGroup(String group) {
      this.group = group;
    }

    public String getKind() {
      return kind;
    }

    public void setKind(String kind) {
      this.kind = kind;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }
  }

  /** The conditions its Gateway's controller wrote: Accepted (the Gateway took the set in), Programmed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Status {
    private List<Condition> conditions = new ArrayList<>();

    public List<Condition> getConditions() {
      return conditions;
    }

    public void setConditions(List<Condition> conditions) {
      this.conditions = conditions;
    }
  }
}
