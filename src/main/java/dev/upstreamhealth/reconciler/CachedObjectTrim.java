package dev.upstreamhealth.reconciler;

import static dev.upstreamhealth.diagnosis.MeshSidecars.AMBIENT_REDIRECTION;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.diagnosis.IngressNginxConfigMap;
import dev.upstreamhealth.diagnosis.PodHealth;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drops, in place, the parts of a cluster object that no diagnosis reads, before it enters an
 * informer cache: at 30,000 pods the managed fields, kubectl's last-applied copy and the pod
 * spec are most of the heap. What stays is what {@code diagnosis/} and the mappers read: labels,
 * owner references, container names, images and ports (native sidecars' too), the pod's restart
 * policy and whether it runs on the node's network, pod status (its start time only while not ready), workload template labels, and a
 * FailedCreate Event's object, reason, type, message and times.
 */
final class CachedObjectTrim {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private CachedObjectTrim() {
  }

  static <R extends HasMetadata> R trim(R object) {
    if (object instanceof Site site) {
      trimSite(site);
      return object;
    }
    trimMetadata(object.getMetadata());
    shareMetadata(object);
    if (object instanceof Pod pod) {
      trimPod(pod);
    } else if (object instanceof Deployment d && d.getSpec() != null) {
      trimTemplate(d.getSpec().getTemplate());
    } else if (object instanceof ReplicaSet rs && rs.getSpec() != null) {
      trimTemplate(rs.getSpec().getTemplate());
    } else if (object instanceof StatefulSet ss && ss.getSpec() != null) {
      trimTemplate(ss.getSpec().getTemplate());
      ss.getSpec().setVolumeClaimTemplates(null);
    } else if (object instanceof DaemonSet ds && ds.getSpec() != null) {
      trimTemplate(ds.getSpec().getTemplate());
    } else if (object instanceof Event event) {
      event.setRelated(null);
      // Its series' last observation is what ages an Event written through events.k8s.io and
      // repeated (WorkloadState): its eventTime is the first occurrence.
      if (event.getSeries() != null) {
        event.getSeries().setCount(null);
      }
      event.setSource(null);
      event.setReportingInstance(null);
    } else if (object instanceof EndpointSlice slice) {
      trimEndpoints(slice);
    } else if (object instanceof CustomResourceDefinition crd && crd.getSpec() != null) {
      trimCrd(crd);
    } else if (object instanceof ConfigMap configMap) {
      trimIngressNginxConfigMap(configMap);
    }
    ModelCompaction.compact(object);
    return object;
  }

  private static void trimMetadata(ObjectMeta meta) {
    if (meta == null) {
      return;
    }
    meta.setManagedFields(null);
    // Objects are told apart by namespace and name; only a Site's uid is read (its Events and
    // deletion name it), and Sites are not trimmed here.
    meta.setUid(null);
    Map<String, String> annotations = meta.getAnnotations();
    if (annotations != null) {
      annotations.remove(LAST_APPLIED);
    }
  }

  /**
   * A Site keeps everything the reconciler reads (its uid names it in Events; its status is the
   * previous verdict), but not the managed fields and kubectl's copy, which a status write never
   * sends back (the API server ignores all but the status on a status write); the texts its status
   * repeats from Site to Site (condition types, statuses, reasons, probe layers and outcomes) are
   * shared, and its metadata and conditions are compacted as other objects are. The reconciler is
   * handed this very object ({@link OperatorDecoding#sharedSite}), and only reads it: the status's
   * lists are made read-only too, so that a write to them fails rather than changing the cache.
   */
  private static void trimSite(Site site) {
    ObjectMeta meta = site.getMetadata();
    if (meta != null) {
      meta.setManagedFields(null);
      if (meta.getAnnotations() != null) {
        meta.getAnnotations().remove(LAST_APPLIED);
      }
      SharedStrings.share(meta::getNamespace, meta::setNamespace);
      ModelCompaction.compact(meta);
    }
    SiteStatus status = site.getStatus();
    if (status == null) {
      return;
    }
    SharedStrings.share(status::getFault, status::setFault);
    SharedStrings.share(status::getReason, status::setReason);
    SharedStrings.each(status.getConditions(), c -> {
      SharedStrings.share(c::getType, c::setType);
      SharedStrings.share(c::getStatus, c::setStatus);
      SharedStrings.share(c::getReason, c::setReason);
      ModelCompaction.compact(c);
    });
    SharedStrings.each(status.getProbes(), p -> {
      SharedStrings.share(p::getLayer, p::setLayer);
      SharedStrings.share(p::getOutcome, p::setOutcome);
    });
    if (status.getConditionsFromProbes() != null) {
      status.getConditionsFromProbes().replaceAll(SharedStrings::of);
    }
    status.setConditions(readOnly(status.getConditions()));
    status.setProbes(readOnly(status.getProbes()));
    status.setUpstreams(readOnly(status.getUpstreams()));
    status.setConditionsFromProbes(readOnly(status.getConditionsFromProbes()));
  }

  /** A view that refuses writes, null elements and all (a status edited by hand may hold them). */
  private static <T> List<T> readOnly(List<T> list) {
    return list == null ? null : Collections.unmodifiableList(list);
  }

  /**
   * Namespace, labels and owners repeat across objects: one copy each (kinds and API versions are
   * shared wherever they appear by {@link ModelCompaction}, as are the empty unknown-field maps).
   */
  private static void shareMetadata(HasMetadata object) {
    ObjectMeta meta = object.getMetadata();
    if (meta == null) {
      return;
    }
    SharedStrings.share(meta::getNamespace, meta::setNamespace);
    SharedStrings.share(meta::getCreationTimestamp, meta::setCreationTimestamp);
    meta.setLabels(SharedStrings.shareAll(meta.getLabels()));
    SharedStrings.each(meta.getOwnerReferences(), o -> {
      SharedStrings.share(o::getName, o::setName);
      SharedStrings.share(o::getUid, o::setUid);
    });
  }

  /** The texts of a pod that repeat from pod to pod (phase, condition types, container names, states). */
  private static void sharePod(Pod pod) {
    // Nothing reads them, and each is one more string per pod.
    pod.getMetadata().setGenerateName(null);
    PodStatus status = pod.getStatus();
    if (status == null) {
      return;
    }
    status.setHostIP(null);
    // A pod not ready may be starting, its grace counted from when its node took it (after a wait
    // for a node). A ready pod needs no grace, nor a finished one (a Job's): the update that makes
    // a pod not ready comes whole from the API server and is trimmed again, so the time is dropped
    // where it is of no use.
    if (PodHealth.isReady(pod) || PodHealth.isFinished(pod)) {
      status.setStartTime(null);
    }
    SharedStrings.share(status::getPhase, status::setPhase);
    SharedStrings.share(status::getReason, status::setReason);
    SharedStrings.each(status.getConditions(), c -> {
      c.setLastProbeTime(null);
      c.setLastTransitionTime(null);
      SharedStrings.share(c::getType, c::setType);
      SharedStrings.share(c::getStatus, c::setStatus);
      SharedStrings.share(c::getReason, c::setReason);
    });
    SharedStrings.each(status.getInitContainerStatuses(), CachedObjectTrim::shareContainerStatus);
    SharedStrings.each(status.getContainerStatuses(), CachedObjectTrim::shareContainerStatus);
    if (pod.getSpec() != null) {
      SharedStrings.share(pod.getSpec()::getRestartPolicy, pod.getSpec()::setRestartPolicy);
      List<Container> all = new ArrayList<>();
      SharedStrings.each(pod.getSpec().getContainers(), all::add);
      SharedStrings.each(pod.getSpec().getInitContainers(), all::add);
      all.forEach(c -> {
        SharedStrings.share(c::getName, c::setName);
        SharedStrings.share(c::getImage, c::setImage);
        SharedStrings.share(c::getRestartPolicy, c::setRestartPolicy);
        SharedStrings.each(c.getPorts(), port -> {
          SharedStrings.share(port::getName, port::setName);
          SharedStrings.share(port::getProtocol, port::setProtocol);
        });
      });
    }
  }

  private static void shareContainerStatus(ContainerStatus cs) {
    SharedStrings.share(cs::getName, cs::setName);
    shareState(cs.getState(), false);
    // The last run's start stays: how long it ran tells a crash loop from one crash after weeks.
    shareState(cs.getLastState(), true);
  }

  private static void shareState(ContainerState state, boolean keepRunStart) {
    if (state == null) {
      return;
    }
    if (state.getRunning() != null) {
      state.getRunning().setStartedAt(null);
    }
    if (state.getWaiting() != null) {
      SharedStrings.share(state.getWaiting()::getReason, state.getWaiting()::setReason);
    }
    if (state.getTerminated() != null) {
      var t = state.getTerminated();
      SharedStrings.share(t::getReason, t::setReason);
      if (!keepRunStart) {
        t.setStartedAt(null);
      }
      t.setContainerID(null);
    }
  }

  private static void trimPod(Pod pod) {
    // A pod's annotations are often large (checksums, sidecar config), and one alone is read: Istio
    // ambient mode's redirection, which puts the pod in the mesh. Emptied, not nulled: JOSDK's
    // event handling reads annotations and drops an event it cannot read.
    String ambient = pod.getMetadata().getAnnotations() == null ? null
        : pod.getMetadata().getAnnotations().get(AMBIENT_REDIRECTION);
    pod.getMetadata().setAnnotations(ambient == null ? new HashMap<>() : new HashMap<>(Map.of(AMBIENT_REDIRECTION, ambient)));
    PodSpec spec = pod.getSpec();
    if (spec != null) {
      PodSpec kept = new PodSpec();
      kept.setContainers(spec.getContainers() == null ? null : spec.getContainers().stream()
          .map(CachedObjectTrim::nameImageAndPorts).toList());
      // Init containers stay by name and image (an Init:ImagePullBackOff names it); native sidecars
      // (restartPolicy Always) serve ports, so theirs stay too.
      kept.setInitContainers(spec.getInitContainers() == null ? null : spec.getInitContainers().stream()
          .map(CachedObjectTrim::nameImageAndPorts).toList());
      // A finished bare pod meant to run once (Never, OnFailure) says nothing about serving.
      kept.setRestartPolicy(spec.getRestartPolicy());
      // NetworkPolicy does not govern a pod on the node's network (NetworkPolicyAdmission).
      kept.setHostNetwork(spec.getHostNetwork());
      pod.setSpec(kept);
    }
    PodStatus status = pod.getStatus();
    if (status != null) {
      status.setHostIPs(null);
      status.setPodIPs(null);
      status.setQosClass(null);
      status.setEphemeralContainerStatuses(null);
      // Init containers stay: one crash-looping there is an UpstreamCrashLooping too.
      if (status.getInitContainerStatuses() != null) {
        status.getInitContainerStatuses().forEach(CachedObjectTrim::trimContainerStatus);
      }
      if (status.getContainerStatuses() != null) {
        status.getContainerStatuses().forEach(CachedObjectTrim::trimContainerStatus);
      }
    }
    sharePod(pod);
    if (status != null && status.getConditions() != null) {
      status.setConditions(PodConditions.keptAndShared(status.getConditions()));
    }
  }

  private static Container nameImageAndPorts(Container c) {
    Container kept = new Container();
    kept.setName(c.getName());
    kept.setImage(c.getImage());
    kept.setPorts(c.getPorts());
    kept.setRestartPolicy(c.getRestartPolicy());
    return kept;
  }

  private static void trimContainerStatus(ContainerStatus cs) {
    cs.setImage(null);
    cs.setImageID(null);
    cs.setContainerID(null);
    cs.setAllocatedResources(null);
    cs.setAllocatedResourcesStatus(null);
    cs.setResources(null);
    cs.setVolumeMounts(null);
    cs.setUser(null);
  }

  /**
   * An endpoint is read for its address, its conditions and which pod it is (kind, namespace,
   * name); its node, zone, topology hints and the pod's uid and version are not.
   */
  private static void trimEndpoints(EndpointSlice slice) {
    SharedStrings.each(slice.getEndpoints(), e -> {
      e.setNodeName(null);
      e.setZone(null);
      e.setHints(null);
      e.setDeprecatedTopology(null);
      if (e.getTargetRef() != null) {
        e.getTargetRef().setUid(null);
        e.getTargetRef().setResourceVersion(null);
        SharedStrings.share(e.getTargetRef()::getNamespace, e.getTargetRef()::setNamespace);
      }
    });
  }

  /** Only which versions a CRD serves is read (is the Gateway API installed?); schemas are most of it. */
  private static void trimCrd(CustomResourceDefinition crd) {
    crd.getMetadata().setAnnotations(new HashMap<>());
    crd.setStatus(null);
    crd.getSpec().setConversion(null);
    if (crd.getSpec().getVersions() != null) {
      crd.getSpec().getVersions().forEach(v -> {
        v.setSchema(null);
        v.setAdditionalPrinterColumns(null);
        v.setSelectableFields(null);
      });
    }
  }

  /**
   * The only ConfigMaps cached are ingress-nginx's controller ConfigMaps, of which a few keys are
   * read: the rest of their data (often dozens of settings, Lua snippets) is not kept.
   */
  private static void trimIngressNginxConfigMap(ConfigMap configMap) {
    Map<String, String> kept = new HashMap<>();
    if (configMap.getData() != null) {
      configMap.getData().forEach((key, value) -> {
        if (IngressNginxConfigMap.KEYS_READ.contains(key)) {
          kept.put(key, value);
        }
      });
    }
    configMap.setData(kept);
    configMap.setBinaryData(null);
    configMap.getMetadata().setLabels(null);
    configMap.getMetadata().setAnnotations(new HashMap<>());
    configMap.getMetadata().setOwnerReferences(null);
  }

  /** Workloads are matched by their template's labels only; the pod spec in it is never read. */
  private static void trimTemplate(PodTemplateSpec template) {
    if (template == null) {
      return;
    }
    if (template.getMetadata() != null) {
      template.getMetadata().setAnnotations(new HashMap<>());
      template.getMetadata().setManagedFields(null);
    }
    template.setSpec(null);
  }
}
