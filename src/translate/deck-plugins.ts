// The plugins of `translate --output deck`: KongPlugin and KongClusterPlugin instances as KIC's buildPlugins makes
// them (config with configFrom/configPatches, instance_name, FillID), each filled as deckgen's fillPlugin does.
import { createHash } from 'node:crypto';
import { asArray, asString, isRecord, ownValue, refKey, setOwn, type K8sObject } from '../model/object.ts';
import { uuidV5 } from '../router/route-id.ts';
import { compact, kicTags, NS, REDACTED, secretFieldNames, type Entity } from './deck-common.ts';
import type { KongConfig, KongPluginInstance } from './kong.ts';
import { defaultProtocols, filledConfig } from './plugin-defaults.ts';
import type { Translator } from './translator.ts';

/** A Secret's field names (values are never kept), or undefined when the Secret is not there. */
function secretKeys(tr: Translator, namespace: string, name: string): string[] | undefined {
  const secret = tr.view.get(refKey({ group: '', kind: 'Secret', namespace, name }));
  return secret ? secretFieldNames(secret) : undefined;
}

/** Whether a secretKeyRef ({name, key}, KongClusterPlugin's with its namespace) names a Secret key that exists. */
function secretKeyExists(tr: Translator, ref: unknown, namespace: string): boolean {
  if (!isRecord(ref)) return false;
  const ns = asString(ref.namespace) ?? namespace;
  return secretKeys(tr, ns, asString(ref.name) ?? '')?.includes(asString(ref.key) ?? '') === true;
}

/**
 * A JSON patch "add" of REDACTED at `path` (RFC 6901 pointer), as KIC's applyJSONPatchFromNamespacedSecretRef applies
 * it with EnsurePathExistsOnAdd (missing parents are created); the root path replaces the whole config. Undefined
 * when the patch cannot apply (KIC then drops the plugin).
 */
function addRedacted(config: unknown, path: string): unknown {
  if (path === '') return REDACTED;
  if (!path.startsWith('/')) return undefined;
  const parts = path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const root: unknown = structuredClone(config);
  let node = root;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    if (Array.isArray(node)) {
      const index = part === '-' ? node.length : /^\d+$/.test(part) ? Number(part) : NaN;
      if (!(index <= node.length)) return undefined;
      if (last) node.splice(index, 0, REDACTED);
      else node = node[index] ??= /^(\d+|-)$/.test(parts[i + 1]!) ? [] : {};
    } else if (isRecord(node)) {
      // A Go map takes "__proto__" as any other key: an own property, never the prototype.
      if (last) setOwn(node, part, REDACTED);
      else node = ownValue(node, part) ?? setOwn<unknown>(node, part, /^(\d+|-)$/.test(parts[i + 1]!) ? [] : {});
    } else return undefined;
  }
  return root;
}

/**
 * kongPluginFromK8SPlugin / kongPluginFromK8SClusterPlugin: the plugin's config, with each configPatches value (a
 * Secret's) added at its path, or the whole config from a Secret (configFrom). Every value from a Secret is REDACTED.
 * Undefined when KIC drops the plugin: a Secret or key that is not there, a patch that cannot apply, or configFrom
 * together with a non-empty config.
 */
export function pluginConfig(tr: Translator, plugin: K8sObject): Entity | string | undefined {
  const namespace = plugin.metadata.namespace ?? '';
  let config: unknown = isRecord(plugin.config) ? plugin.config : {};
  for (const patch of asArray(plugin.configPatches)) {
    if (!isRecord(patch) || !isRecord(patch.valueFrom) || !secretKeyExists(tr, patch.valueFrom.secretKeyRef, namespace)) return undefined;
    config = addRedacted(config, asString(patch.path) ?? '');
    if (config === undefined) return undefined;
  }
  if (isRecord(plugin.configFrom)) {
    if (config === REDACTED || (isRecord(config) && Object.keys(config).length > 0)) return undefined;
    return secretKeyExists(tr, plugin.configFrom.secretKeyRef, namespace) ? REDACTED : undefined;
  }
  return config as Entity | string;
}

/** kongPluginFromK8SPlugin: the KongPlugin's own fields (run_on is cleared by fillPlugin). */
function pluginBody(tr: Translator, plugin: K8sObject | undefined): Entity | undefined {
  if (!plugin) return {};
  const config = pluginConfig(tr, plugin);
  if (config === undefined) return undefined;
  const protocols = asArray(plugin.protocols).filter((p): p is string => typeof p === 'string');
  return compact({
    config,
    enabled: plugin.disabled === true ? false : undefined,
    ordering: isRecord(plugin.ordering) ? plugin.ordering : undefined,
    protocols,
    tags: kicTags(plugin),
  });
}

/**
 * deckgen fillPlugin: config filled from Kong 3.9.3's schema (plugin-defaults.ts), `enabled: true` and the schema's
 * protocols unless set. A plugin without a schema here (Enterprise, custom) keeps its config as given.
 */
export function fillPlugin(tr: Translator, p: Entity): Entity {
  const name = String(p.name);
  const db = tr.config.kongDatabase;
  const config = p.config === REDACTED ? REDACTED : (filledConfig(name, isRecord(p.config) ? p.config : {}, db) ?? p.config);
  return compact({ ...p, config, enabled: p.enabled ?? true, protocols: asArray(p.protocols).length ? p.protocols : defaultProtocols(name, db) });
}

/** KIC's instance_name suffix per scope (buildPlugins): the first 9 hex digits of sha256 over the scope identifiers. */
function instanceName(base: string, inst: KongPluginInstance): string {
  const s = inst.scope;
  const toHash = `${s.service ? `_service-${s.service}` : ''}${s.route ? `_route-${s.route}` : ''}${s.consumer ? `_consumer-${s.consumer}` : ''}${s.consumerGroup ? `_group-${s.consumerGroup}` : ''}`;
  return `${base}-${createHash('sha256').update(toHash).digest('hex').slice(0, 9)}`;
}

/** go-kong Plugin.FillID: name, then `:service/`, `:route/`, `:consumer/`, `:consumer_group/` + the referenced identifier. */
function pluginId(inst: KongPluginInstance): string {
  const s = inst.scope;
  const key = `${inst.name}${s.service ? `:service/${s.service}` : ''}${s.route ? `:route/${s.route}` : ''}${s.consumer ? `:consumer/${s.consumer}` : ''}${s.consumerGroup ? `:consumer_group/${s.consumerGroup}` : ''}`;
  return uuidV5(NS.plugins, key);
}

/** deckgen.PluginString: name, then the consumer, group, route and service identifiers. */
export const pluginString = (p: Entity) => `${String(p.name)}${(['consumer', 'consumer_group', 'route', 'service'] as const).map((k) => String(p[k] ?? '')).join('')}`;

export function deckPlugin(tr: Translator, inst: KongPluginInstance): Entity | undefined {
  const obj = tr.view.get(refKey(inst.plugin));
  const base = asString(obj?.instance_name);
  const global = !inst.scope.service && !inst.scope.route && !inst.scope.consumer && !inst.scope.consumerGroup;
  const body = pluginBody(tr, obj);
  if (!body) return undefined;
  return fillPlugin(tr, {
    ...body,
    consumer: inst.scope.consumer,
    consumer_group: inst.scope.consumerGroup,
    id: pluginId(inst),
    instance_name: base === undefined ? undefined : global ? base : instanceName(base, inst),
    name: inst.name,
    route: inst.scope.route,
    service: inst.scope.service,
  });
}

/**
 * httproute.go generateKongRouteModifierFromExtensionRef: an ExtensionRef filter's KongPlugin joins the route's
 * konghq.com/plugins, so getPluginRelations places it on the route like any other (once per route).
 */
export function extensionRefInstances(tr: Translator, config: KongConfig): KongPluginInstance[] {
  const out: KongPluginInstance[] = [];
  for (const e of config.extensionRefPlugins) {
    const name = e.plugin ? asString(tr.view.get(refKey(e.plugin))?.plugin) : undefined;
    if (!e.plugin || !name) continue;
    const same = (i: KongPluginInstance) => refKey(i.plugin) === refKey(e.plugin!) && i.scope.route === e.route && !i.scope.service && !i.scope.consumer && !i.scope.consumerGroup;
    if (config.plugins.some(same) || out.some(same)) continue;
    out.push({ name, plugin: e.plugin, scope: { route: e.route }, placedBy: e.sources, sources: e.sources });
  }
  return out;
}
