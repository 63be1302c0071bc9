package io.fleetpulse.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link FleetConfig}: the built-in defaults, then the user's fleet file, then single-key overrides
 * from flags (e.g. {@code fleet.chips=65536}). Maps merge key by key; a list in the file replaces the default
 * list. Unknown keys, wrong types and out-of-range values fail with the key named.
 */
public final class FleetConfigLoader {

  private static final String DEFAULTS = "fleet-defaults.yaml";
  private static final ObjectMapper YAML = mapper();

  private FleetConfigLoader() {}

  public static FleetConfig defaults() {
    return load(null, Map.of());
  }

  /**
   * @param file a fleet YAML file, or null for the defaults only
   * @param overrides dotted keys to values, applied last (flags such as --chips)
   */
  public static FleetConfig load(Path file, Map<String, String> overrides) {
    return load(Map.of(), file, overrides);
  }

  /**
   * Like {@link #load(Path, Map)}, with a command's own defaults (e.g. the demo's smaller fleet) between the
   * built-in defaults and the file: built-in < command defaults < file < flags.
   */
  public static FleetConfig load(Map<String, String> commandDefaults, Path file, Map<String, String> overrides) {
    ObjectNode tree = readDefaults();
    commandDefaults.forEach((key, value) -> set(tree, key, value));
    if (file != null) {
      merge(tree, readFile(file), "");
    }
    overrides.forEach((key, value) -> set(tree, key, value));
    try {
      return YAML.treeToValue(tree, FleetConfig.class).validate();
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          path(e) + ": unknown key; known keys here: " + e.getKnownPropertyIds());
    } catch (JsonMappingException e) {
      throw new ConfigException(path(e) + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ConfigException("fleet config: " + e.getOriginalMessage());
    }
  }

  /** The defaults file as text, for `--help` and docs. */
  public static String defaultsText() {
    try (InputStream in = FleetConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode readDefaults() {
    try (InputStream in = FleetConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("built-in " + DEFAULTS + " is unreadable", e);
    }
  }

  private static JsonNode readFile(Path file) {
    try {
      JsonNode node = YAML.readTree(Files.readString(file));
      if (node == null || node.isMissingNode() || node.isNull()) {
        return YAML.createObjectNode();
      }
      if (!node.isObject()) {
        throw new ConfigException(file + ": a fleet file is a YAML mapping (fleet:, sites:, ...), not a "
            + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      }
      return node;
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file (--config takes a fleet YAML file; see docs/fleet-model.md)");
    } catch (JsonProcessingException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Maps of shares summing to 1: set or merged whole, never key by key. */
  private static final java.util.Set<String> DISTRIBUTIONS = java.util.Set.of("generation_mix", "tenant_mix");

  private static void merge(ObjectNode base, JsonNode over, String at) {
    Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      JsonNode existing = base.get(e.getKey());
      boolean bothMaps = existing != null && existing.isObject() && e.getValue().isObject();
      // generation_mix and tenant_mix are distributions: a user's mix replaces ours rather than adding to it.
      if (bothMaps && !DISTRIBUTIONS.contains(e.getKey())) {
        merge((ObjectNode) existing, e.getValue(), at + e.getKey() + ".");
      } else if (at.isEmpty() && e.getKey().equals("sites") && existing != null && existing.isArray()
          && e.getValue().isArray()) {
        base.set("sites", mergeSites((ArrayNode) existing, (ArrayNode) e.getValue()));
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  /**
   * The user's list of sites replaces ours (a site left out is dropped), but a listed site with one of our ids
   * keeps our values for the keys it does not give, so `- {id: us-in, share: 0.6}` is enough to resize it.
   */
  private static ArrayNode mergeSites(ArrayNode ours, ArrayNode theirs) {
    ArrayNode merged = YAML.createArrayNode();
    for (int i = 0; i < theirs.size(); i++) {
      JsonNode site = theirs.get(i);
      JsonNode known = site.isObject() ? siteById(ours, site.path("id").asText(null)) : null;
      if (known == null) {
        requireEveryKey(site, ours.isEmpty() ? null : ours.get(0), "sites[" + i + "]");
        merged.add(site);
      } else {
        ObjectNode copy = ((ObjectNode) known).deepCopy();
        merge(copy, site, "sites.");
        merged.add(copy);
      }
    }
    return merged;
  }

  private static void requireEveryKey(JsonNode site, JsonNode template, String at) {
    if (!site.isObject()) {
      throw new ConfigException(at + ": a site is a mapping of keys (id, name, timezone, share, ...), got " + site);
    }
    if (template == null) return;
    List<String> missing = new ArrayList<>();
    template.fieldNames().forEachRemaining(k -> {
      if (!site.has(k)) missing.add(k);
    });
    if (!missing.isEmpty()) {
      throw new ConfigException(at + " (" + site.path("id").asText("no id") + "): a new site needs every key; missing "
          + String.join(", ", missing) + " (a site with a default id, e.g. us-in, inherits the keys it leaves out)");
    }
  }

  private static JsonNode siteById(ArrayNode sites, String id) {
    if (id == null) return null;
    for (JsonNode s : sites) {
      if (id.equals(s.path("id").asText(null))) return s;
    }
    return null;
  }

  /** Sets one dotted key (`faults.silent_share`, `sites.us-in.share`, `generations.trn2.max_power_w`). */
  private static void set(ObjectNode tree, String dottedKey, String value) {
    String[] parts = dottedKey.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (child != null && child.isArray() && i + 1 < parts.length - 1) {
        String id = parts[++i];
        child = siteById((ArrayNode) child, id);
        if (child == null) {
          throw new ConfigException(dottedKey + ": no site with id '" + id + "'; sites are addressed by id, e.g. "
              + "sites.us-in.share");
        }
      }
      if (child == null || !child.isObject()) {
        throw new ConfigException(dottedKey + ": no such config section '" + parts[i] + "'; sections: "
            + fieldNames(node) + " (docs/fleet-model.md lists every key)");
      }
      node = (ObjectNode) child;
    }
    String leaf = parts[parts.length - 1];
    if (node.get(leaf) != null && node.get(leaf).isContainerNode() && !DISTRIBUTIONS.contains(leaf)) {
      throw new ConfigException(dottedKey + ": is a section, not a value; set one of its keys: "
          + fieldNames(node.get(leaf)));
    }
    try {
      JsonNode parsed = YAML.readTree(value);
      node.set(leaf, parsed == null || parsed.isMissingNode() ? TextNode.valueOf(value) : parsed);
    } catch (JsonProcessingException e) {
      node.set(leaf, TextNode.valueOf(value));
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "fleet config" : sb.toString();
  }

  private static ObjectMapper mapper() {
    SimpleModule m = new SimpleModule("fleetpulse");
    m.addDeserializer(
        Duration.class,
        new JsonDeserializer<>() {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            try {
              return Durations.parse(p.getValueAsString());
            } catch (IllegalArgumentException e) {
              throw JsonMappingException.from(p, e.getMessage());
            }
          }
        });
    m.addDeserializer(
        ZoneId.class,
        new JsonDeserializer<>() {
          @Override
          public ZoneId deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String zone = p.getValueAsString();
            try {
              return ZoneId.of(zone);
            } catch (java.time.DateTimeException e) {
              throw JsonMappingException.from(
                  p, "'" + zone + "' is not a time zone; use an IANA name such as America/Chicago");
            }
          }
        });
    return new ObjectMapper(new YAMLFactory())
        .registerModule(m)
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
  }
}
