package dev.upstreamhealth.reconciler;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fabric8's model classes give every object its own map of unknown fields and every list field
 * its own empty ArrayList, used or not: a pod carries some thirty of them, an EndpointSlice
 * twenty, about 1.5 KiB per pod in all. A cached object is read, never changed, so each empty
 * one is replaced by the one shared, immutable empty list or map; each list in use by an
 * immutable copy of its exact size (an ArrayList of one element keeps room for ten); and each
 * map in use by an immutable copy shared by every object with the same entries (the pods of one
 * ReplicaSet carry the same labels); and each kind and API version, wherever it is named (the
 * object's own, its owners', its endpoints' target references), by one shared string. Applied to
 * the whole object graph of a cached object (model classes only), with the fields of each class
 * looked up once.
 */
final class ModelCompaction {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
  private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();
  /** Bounded like {@link SharedStrings}: past the bound a map is copied but not shared. */
  static final int MAX_SHARED_MAPS = 100_000;
  private static final SharingPool<Map<?, ?>> SHARED_MAPS = new SharingPool<>(MAX_SHARED_MAPS);

  private ModelCompaction() {
  }

  static void compact(Object model) {
    if (model == null || !isModel(model.getClass())) {
      return;
    }
    for (Field f : fieldsOf(model.getClass())) {
      try {
        Object value = f.get(model);
        if (value instanceof String text) {
          f.set(model, SharedStrings.of(text));
        } else if (value instanceof List<?> list) {
          if (list.isEmpty()) {
            f.set(model, Collections.emptyList());
          } else {
            list.forEach(ModelCompaction::compact);
            f.set(model, List.copyOf(list)); // a null element (none expected) leaves the list as it is
          }
        } else if (value instanceof Map<?, ?> map) {
          f.set(model, map.isEmpty() ? Collections.emptyMap() : SHARED_MAPS.share(Map.copyOf(map)));
        } else if (value != null && isModel(value.getClass())) {
          compact(value);
        }
      } catch (IllegalAccessException | RuntimeException e) {
        // A field that cannot be read or set here is simply left as it is.
      }
    }
  }

  private static boolean isModel(Class<?> type) {
    return type.getName().startsWith(MODEL_PACKAGE);
  }

  /** A field naming a kind or an API version: a handful of values shared by every object. */
  private static boolean isTypeName(Field f) {
    return f.getType() == String.class && (f.getName().equals("kind") || f.getName().equals("apiVersion"));
  }

  private static List<Field> fieldsOf(Class<?> type) {
    return FIELDS.computeIfAbsent(type, t -> {
      List<Field> out = new ArrayList<>();
      for (Class<?> c = t; c != null && isModel(c); c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers()) || f.getType().isPrimitive()) {
            continue;
          }
          if (List.class.isAssignableFrom(f.getType()) || Map.class.isAssignableFrom(f.getType())
              || isModel(f.getType()) || f.getType() == Object.class || isTypeName(f)) {
            try {
              f.setAccessible(true);
              out.add(f);
            } catch (RuntimeException inaccessible) {
              // Left as it is.
            }
          }
        }
      }
      return List.copyOf(out);
    });
  }
}
