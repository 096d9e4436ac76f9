// Plugin rules, judged on translated plugin instances (KIC's GetCombinations), never on raw annotations.
import { GLOBAL_PLUGIN_LABEL } from '../model/annotations.ts';
import { keyOf, label, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { pluginType } from '../model/views.ts';
import { olderFirst } from '../state/view.ts';
import { scopeKey, scopeKind, type KongPluginInstance, type PluginScope } from '../translate/kong.ts';
import { ROUTE_KINDS, type Translator } from '../translate/translator.ts';
import { collidingGlobals } from '../translate/kic-drops.ts';
import type { Draft, Rule } from './rule.ts';
import { name, plainList } from './text.ts';
import { filterPluginClashes } from './filter-plugins.ts';
import { BUNDLED_PLUGINS, KONG_SOURCE } from '../kong/plugins.ts';
import { consumerGroupPlugins, ENTERPRISE_RELEASE, refusedScopes, type PluginScopeName, type ScopeRefusal } from '../kong/scopes.ts';
import { consumer, globalPlugin, httpRoute, KONG_BASE, kongPlugin, kongPluginIn, pluginGrant } from './example-base.ts';

/** How many referrers a message names before "and N more". */
const NAMED_REFERRERS = 3;

const PLUGINS_FIELD = 'metadata.annotations["konghq.com/plugins"]';
/** Every kind whose konghq.com/plugins KIC reads: the route-like kinds (ROUTE_KINDS), Services, consumers and groups. */
const REFERRERS = [...ROUTE_KINDS, 'Service', 'KongConsumer', 'KongConsumerGroup'] as const;

/** Kong's words for a refused scope, and the field its error names. */
const SCOPE_WORDS: Record<PluginScopeName, string> = { service: 'service', route: 'route', consumer: 'consumer', consumer_group: 'consumer group' };

/** Where a refusal comes from, for messages. */
function refusalSource(type: string, refusal: ScopeRefusal): string {
  return refusal.source === 'oss'
    ? `Kong ${KONG_SOURCE.tag}'s schema for "${type}" sets ${refusal.scope} = typedefs.no_${refusal.scope}`
    : `Kong Gateway Enterprise ${ENTERPRISE_RELEASE}'s schema for "${type}" has no ${refusal.scope} field`;
}

/** The bundled plugins Kong OSS refuses on a scope. */
function refusingPlugins(scope: PluginScopeName): string[] {
  return BUNDLED_PLUGINS.filter((p) => refusedScopes(p, 'oss').some((r) => r.scope === scope));
}

function refusal(tr: Translator, type: string, scope: PluginScopeName): ScopeRefusal | undefined {
  return refusedScopes(type, tr.config.kongEdition ?? 'oss').find((r) => r.scope === scope);
}

const AUTH_PLUGINS = new Set([
  'basic-auth', 'hmac-auth', 'jwt', 'key-auth', 'key-auth-enc', 'ldap-auth', 'ldap-auth-advanced', 'mtls-auth',
  'oauth2', 'oauth2-introspection', 'openid-connect', 'vault-auth',
]);

/**
 * The instances of `plugin` on the scopes `subject` owns. A route-like object or a Service gets exactly its own
 * scopes from Translator.instancesOn (the plugin's other referrers are not translated); a consumer or a group
 * needs the whole picture, since its own scope exists only when no route or service references the plugin.
 */
export function ownedInstances(tr: Translator, subject: K8sObject, plugin: K8sObject): KongPluginInstance[] {
  switch (subject.kind) {
    case 'KongConsumer': {
      const id = tr.consumerId(subject);
      return tr.instances(plugin).filter(({ scope: s }) => s.consumer === id && !s.route && !s.service);
    }
    case 'KongConsumerGroup':
      return tr.instances(plugin).filter(({ scope: s }) => s.consumerGroup === subject.metadata.name && !s.route && !s.service && !s.consumer);
    default:
      return tr.instancesOn(plugin, subject);
  }
}

export function uniquePlugins(tr: Translator, subject: K8sObject): K8sObject[] {
  const seen = new Map<string, K8sObject>();
  for (const p of tr.pluginsOf(subject)) if (p.plugin) seen.set(keyOf(p.plugin), p.plugin);
  return [...seen.values()];
}

/** What a plugin's scoping used to be, when the change moved it: "KongPlugin x was scoped to KongConsumer y". */
function formerScoping(before: Translator | undefined, plugin: ObjectRef): string | undefined {
  if (!before) return undefined;
  const old = before.view.get(refKey(plugin));
  if (!old) return undefined;
  const principals = new Set<string>();
  for (const i of before.instances(old)) {
    for (const by of i.placedBy) if (by.kind === 'KongConsumer' || by.kind === 'KongConsumerGroup') principals.add(name(by));
  }
  return principals.size ? `${name(plugin)} was scoped to ${plainList([...principals])} before this change: keep it referenced there (konghq.com/plugins)` : undefined;
}

export const duplicatePluginScope: Rule = {
  id: 'duplicate-plugin-scope',
  kongRejects: true,
  severity: 'deny',
  orderSensitiveOnCreate: true,
  summary: 'Two plugins of one type land on the same final scope (route, service, consumer, their combinations).',
  explanation:
    'KIC instantiates each KongPlugin per scope with GetCombinations: a plugin referenced by a consumer and a route exists only as the consumer x route instance. ' +
    'When two plugins of the same type end up on the same scope they get the same id and Kong rejects the whole configuration; with FallbackConfiguration KIC then excludes the plugin and everything that uses it. ' +
    'The rule judges the translated instances, so a base plugin on a route plus a consumer-specific one on the same route is allowed. ' +
    'An HTTPRoute\'s filters count too: KIC generates a request-transformer for RequestHeaderModifier and URLRewrite, a response-transformer for ResponseHeaderModifier and a redirect for RequestRedirect (KIC 3.4 and later; 3.2 and 3.3 a request-termination and a response-transformer), and nests them in the rule\'s Kong routes next to the KongPlugins of konghq.com/plugins and ExtensionRef filters without comparing them. ' +
    'A create that introduces the clash only warns (KIC\'s own guide creates the KongPlugins before the KongConsumer that scopes one of them); an update or delete that introduces it is denied, and so is a create with `strict`.',
  examples: {
    bad: KONG_BASE + kongPlugin('rl-base', 'rate-limiting', 'config: {second: 1}') + kongPlugin('rl-extra', 'rate-limiting', 'config: {second: 5}') + httpRoute('route-b', '/route-b', 'rl-base, rl-extra'),
    good: KONG_BASE + kongPlugin('rl-base', 'rate-limiting', 'config: {second: 1}') + kongPlugin('rl-extra', 'rate-limiting', 'config: {second: 5}') + httpRoute('route-b', '/route-b', 'rl-base, rl-extra') + consumer('bob', 'username: bob', 'konghq.com/plugins: rl-extra'),
  },
  kinds: REFERRERS,
  check({ tr, before }, subject) {
    // Without plugins of its own there is nothing to clash (an HTTPRoute's filters may still clash with its
    // ExtensionRef KongPlugins): asked first, since whether a Service is managed means translating its routes.
    const plugins = uniquePlugins(tr, subject);
    if ((!plugins.length && subject.kind !== 'HTTPRoute') || !tr.isManaged(subject)) return [];
    const groups = new Map<string, KongPluginInstance[]>();
    const owned: KongPluginInstance[] = [];
    for (const plugin of plugins) {
      for (const instance of ownedInstances(tr, subject, plugin)) {
        owned.push(instance);
        const key = `${instance.name}|${scopeKey(instance.scope)}`;
        groups.set(key, [...(groups.get(key) ?? []), instance]);
      }
    }
    const drafts = new Map<string, Draft>();
    for (const instances of groups.values()) {
      const plugins = [...new Map(instances.map((i) => [refKey(i.plugin), i.plugin])).values()];
      if (plugins.length < 2) continue;
      const first = instances[0]!;
      const kind = scopeKind(first.scope);
      const principal = first.scope.consumer ?? first.scope.consumerGroup;
      const discriminator = `${first.name}|${kind}|${principal ?? ''}|${plugins.map((p) => p.name).sort().join(',')}`;
      if (drafts.has(discriminator)) continue;
      const pluginNames = plugins.map(name);
      const principalText = first.scope.consumer ? ` for consumer "${first.scope.consumer}"` : first.scope.consumerGroup ? ` for consumer group "${first.scope.consumerGroup}"` : '';
      const hints = plugins.map((p) => formerScoping(before, p)).filter((h) => h !== undefined);
      const remove = `remove one of the ${plugins.length} plugins from ${subject.metadata.name}`;
      const fix = hints.length ? `${hints.join('; ')}; or ${remove}` : remove;
      // Kong's error points at the plugin entity that clashes; KIC's tags make the newest plugin the broken one.
      const objects = plugins.map((p) => tr.view.get(refKey(p))).filter((p) => p !== undefined);
      const newest = objects.sort(olderFirst(tr.view, keyOf))[objects.length - 1];
      drafts.set(discriminator, {
        field: PLUGINS_FIELD,
        discriminator,
        related: plugins,
        ...(newest ? { broken: refOf(newest) } : {}),
        message:
          `${name(subject)} would carry ${plugins.length} "${first.name}" plugins on the same scope (${kind})${principalText}: ${plainList(pluginNames)}. ` +
          `Kong rejects a configuration with two plugins of one type on one scope.`,
        fix: `${fix}.`,
      });
    }
    // The plugins KIC generates from the HTTPRoute's filters land on the same routes (filter-plugins.ts).
    return subject.kind === 'HTTPRoute' ? [...drafts.values(), ...filterPluginClashes(tr, subject, owned)] : [...drafts.values()];
  },
};

export const duplicateGlobalPlugin: Rule = {
  id: 'duplicate-global-plugin',
  severity: 'deny',
  summary: 'Two global KongClusterPlugins (label global: "true") of the same plugin type.',
  explanation:
    'KIC applies KongClusterPlugins labelled global: "true" to every request. When two of them have the same plugin type it drops both and only logs it: ' +
    'the cluster silently loses, say, its global rate limit or its global authentication (kongstate.go globalKongClusterPlugins). ' +
    'A global plugin whose configuration KIC cannot build (a missing configFrom Secret, ...) is not counted: it has its own finding.',
  examples: {
    bad: KONG_BASE + globalPlugin('prometheus-a') + globalPlugin('prometheus-b'),
    good: KONG_BASE + globalPlugin('prometheus-a'),
  },
  kinds: ['KongClusterPlugin'],
  check({ tr, view }, subject) {
    const type = pluginType(subject);
    // The same plugins the translator leaves out: a global whose configuration KIC cannot build is not counted (that
    // one has its own finding), since KIC may then apply the other one.
    const others = collidingGlobals(tr, subject);
    const holder = [subject, ...others].sort(olderFirst(view, keyOf))[0];
    if (!type || !holder || keyOf(holder) === keyOf(subject)) return [];
    return [
      {
        field: 'metadata.labels["global"]',
        related: [refOf(holder)],
        message:
          `${name(subject)} is a second global "${type}" plugin: ${name(holder)} already is one. ` +
          `KIC drops both from the configuration (it logs it, no event), so no global "${type}" runs at all.`,
        fix: `merge the two configurations into one KongClusterPlugin, or remove the global label from one.`,
      },
    ];
  },
};

/** A KongPlugin labelled as global, as the examples show it. */
const labelledKongPlugin = (name: string, type: string) => kongPlugin(name, type).replace('namespace: default}', 'namespace: default, labels: {global: "true"}}');

export const kongPluginGlobalLabel: Rule = {
  id: 'kongplugin-global-label',
  severity: 'warn',
  summary: 'A namespaced KongPlugin carries the label global: "true", which KIC 3.x ignores: only KongClusterPlugins with that label are global.',
  explanation:
    'KIC builds its global plugins from the KongClusterPlugins of its class selected by the label global=true (store.go ListGlobalKongClusterPlugins, ' +
    'read by kongstate.go globalKongClusterPlugins); it never looks at that label on a KongPlugin (global KongPlugins were removed in KIC 0.10, and since ' +
    'KIC 3.0 it does not even log them). Such a KongPlugin is translated like any other: it runs only on the scopes of the objects whose konghq.com/plugins ' +
    'names it, and, named by none, on no request at all, while whoever labelled it believes every request goes through it (an authentication, an ACL, a rate limit).',
  examples: {
    bad: KONG_BASE + labelledKongPlugin('rate-limit-all', 'rate-limiting'),
    good: KONG_BASE + globalPlugin('rate-limit-all', 'rate-limiting', 'config: {minute: 100}'),
  },
  kinds: ['KongPlugin'],
  check({ tr }, subject) {
    if (label(subject, GLOBAL_PLUGIN_LABEL) !== 'true') return [];
    const type = pluginType(subject) ?? '(no plugin type)';
    const referrers = tr.referrersOf(subject).filter((r) => tr.isManaged(r));
    const named = referrers.slice(0, NAMED_REFERRERS).map(name);
    const more = referrers.length - named.length;
    const where = referrers.length
      ? `It runs only where konghq.com/plugins names it (${plainList([...named, ...(more ? [`${more} more`] : [])])}), not on every request.`
      : `No konghq.com/plugins annotation names it, so KIC sends no "${type}" plugin for it to Kong: it runs on no request at all.`;
    return [
      {
        field: 'metadata.labels["global"]',
        related: referrers.slice(0, NAMED_REFERRERS).map(refOf),
        message:
          `${name(subject)} has the label global: "true", but KIC 3.x makes only KongClusterPlugins with that label global; on a KongPlugin it means nothing (KIC does not log it either). ` +
          where,
        fix:
          `to run "${type}" on every request, replace ${subject.metadata.name} with a KongClusterPlugin of the same plugin and config labelled global: "true" ` +
          `(annotated kubernetes.io/ingress.class with KIC's class unless that class is the cluster default); or, ` +
          (referrers.length ? `if it is meant to run only there, drop the label.` : `to scope it, name it in konghq.com/plugins on the Ingresses, routes or Services it should cover and drop the label.`),
      },
    ];
  },
};

export const pluginNotAllowedOnConsumer: Rule = {
  id: 'plugin-not-allowed-on-consumer',
  kongRejects: true,
  severity: 'deny',
  summary: 'A plugin Kong forbids on consumers (key-auth, acl, cors, pre-function, ...) is attached to a KongConsumer.',
  explanation:
    'Authentication and some other plugins identify the consumer, or run before it is known; their Kong schemas forbid a consumer scope ' +
    `(typedefs.no_consumer, read from Kong ${KONG_SOURCE.tag}'s schemas: ${refusingPlugins('consumer').join(', ')}; Enterprise plugins from Enterprise's published schemas). ` +
    'KIC translates them anyway and Kong rejects the configuration ("consumer: value must be null"). Attach them to the route, service or globally instead.',
  examples: {
    bad: KONG_BASE + kongPlugin('key-auth', 'key-auth') + consumer('bob', 'username: bob', 'konghq.com/plugins: key-auth'),
    good: KONG_BASE + kongPlugin('key-auth', 'key-auth') + consumer('bob', 'username: bob') + httpRoute('route-b', '/route-b', 'key-auth'),
  },
  kinds: ['KongConsumer'],
  check({ tr }, subject) {
    if (!tr.isManaged(subject)) return [];
    return uniquePlugins(tr, subject).flatMap((plugin): Draft[] => {
      const type = pluginType(plugin);
      const refused = type ? refusal(tr, type, 'consumer') : undefined;
      if (!type || !refused) return [];
      return [
        {
          field: PLUGINS_FIELD,
          discriminator: keyOf(plugin),
          related: [refOf(plugin)],
          message:
            `${name(subject)} references ${name(plugin)} of type "${type}", which Kong does not allow on a consumer (${refusalSource(type, refused)}). ` +
            `Kong rejects the configuration: "consumer: value must be null".`,
          fix: `remove "${plugin.metadata.name}" from the consumer's konghq.com/plugins and put it on the routes or services it should protect.`,
        },
      ];
    });
  },
};

/** The scope field each kind of referrer puts on a plugin instance, in Kong's names. */
const SCOPE_FIELD: Record<string, { field: PluginScopeName; set: (s: PluginScope) => boolean }> = {
  Ingress: { field: 'route', set: (s) => !!s.route },
  HTTPRoute: { field: 'route', set: (s) => !!s.route },
  Service: { field: 'service', set: (s) => !!s.service },
  KongConsumerGroup: { field: 'consumer_group', set: (s) => !!s.consumerGroup },
};

export const pluginNotAllowedOnScope: Rule = {
  id: 'plugin-not-allowed-on-scope',
  kongRejects: true,
  severity: 'deny',
  summary: 'A plugin lands on a route, service or consumer group Kong does not allow it on (acme anywhere but global; on Enterprise, plugins a consumer group may not carry).',
  explanation:
    `Kong's plugin schemas say where a plugin may run. In Kong ${KONG_SOURCE.tag} ${plainList(refusingPlugins('route'))} may run only globally ` +
    '(typedefs.no_route and no_service: "route: value must be null"). Kong Gateway Enterprise lets a consumer group carry only some plugins ' +
    `(${ENTERPRISE_RELEASE}: read from its published plugin schemas), and refuses the others: "consumer_group: value must be null". KIC translates ` +
    'the plugin onto the scope anyway and Kong rejects the configuration. Consumers are judged by plugin-not-allowed-on-consumer, consumer groups on ' +
    'Kong OSS (which has none) by consumer-group-needs-enterprise.',
  examples: {
    bad: KONG_BASE + kongPlugin('acme', 'acme', 'config: {account_email: ops@example.com}') + httpRoute('route-b', '/route-b', 'acme'),
    good: KONG_BASE + globalPlugin('acme', 'acme', 'config: {account_email: ops@example.com}') + httpRoute('route-b', '/route-b'),
  },
  kinds: ['Ingress', 'HTTPRoute', 'Service', 'KongConsumerGroup'],
  check({ tr }, subject) {
    const mine = SCOPE_FIELD[subject.kind];
    const plugins = mine ? uniquePlugins(tr, subject) : [];
    if (!mine || !plugins.length || !tr.isManaged(subject)) return [];
    const me = keyOf(subject);
    return plugins.flatMap((plugin): Draft[] => {
      const type = pluginType(plugin);
      const r = type ? refusal(tr, type, mine.field) : undefined;
      // Judged on the translated instances: KIC may place the plugin elsewhere (a consumer's plugin on a route is consumer x route).
      if (!type || !r || !tr.instances(plugin).some((i) => mine.set(i.scope) && i.placedBy.some((by) => refKey(by) === me))) return [];
      return [
        {
          field: PLUGINS_FIELD,
          discriminator: `${keyOf(plugin)}|${r.scope}`,
          related: [refOf(plugin)],
          // Kong's error is on the plugin entity, which KIC's fallback traces back to the KongPlugin.
          broken: refOf(plugin),
          message:
            `${name(subject)} puts ${name(plugin)} (plugin "${type}") on a ${SCOPE_WORDS[r.scope]}, which Kong does not allow (${refusalSource(type, r)}). ` +
            `Kong rejects the configuration: "${r.scope}: value must be null".`,
          fix:
            r.scope === 'consumer_group'
              ? `remove "${plugin.metadata.name}" from the consumer group's konghq.com/plugins and put it on the routes or services instead; a consumer group may carry ${plainList(consumerGroupPlugins())}.`
              : `remove "${plugin.metadata.name}" from konghq.com/plugins and make it a global plugin (a KongClusterPlugin labelled global: "true").`,
        },
      ];
    });
  },
};

function lostWhat(type: string): string {
  if (AUTH_PLUGINS.has(type)) return 'loses authentication: anyone can call it';
  if (type === 'acl' || type === 'ip-restriction') return 'loses its access control';
  return `loses its "${type}" plugin`;
}

export const missingPlugin: Rule = {
  id: 'missing-plugin',
  severity: 'warn',
  dangling: true,
  summary: 'konghq.com/plugins names a KongPlugin or KongClusterPlugin that does not exist.',
  explanation:
    'KIC looks the name up as a KongPlugin in the object\'s namespace, then as a KongClusterPlugin. When neither exists it records a translation failure and serves the object without the plugin. ' +
    'This is a warning by default because `kubectl apply -f dir/` may create the plugin a moment later; `strict` turns it into a denial.',
  examples: {
    bad: KONG_BASE + httpRoute('route-b', '/route-b', 'key-auth'),
    good: KONG_BASE + kongPlugin('key-auth', 'key-auth') + httpRoute('route-b', '/route-b', 'key-auth'),
  },
  kinds: REFERRERS,
  check({ tr, before }, subject) {
    if (!tr.isManaged(subject)) return [];
    return tr.pluginsOf(subject).flatMap((p): Draft[] => {
      if (p.problem !== 'missing') return [];
      // What the same reference resolved to before the change (a plugin deleted or renamed since).
      const was = before?.resolve(subject, p.ref).plugin;
      const type = was ? pluginType(was) : undefined;
      const consequence = type
        ? `${name(subject)} ${lostWhat(type)} (it was ${name(was!)}, type "${type}").`
        : `KIC reports a translation failure and serves ${subject.metadata.name} without it.`;
      return [
        {
          field: PLUGINS_FIELD,
          discriminator: `${p.ref.namespace}/${p.ref.name}`,
          related: [
            { group: 'configuration.konghq.com', kind: 'KongPlugin', namespace: p.ref.namespace, name: p.ref.name },
          ],
          message:
            `${name(subject)} names plugin "${p.ref.remote ? `${p.ref.namespace}:` : ''}${p.ref.name}" in konghq.com/plugins, but neither KongPlugin ${p.ref.namespace}/${p.ref.name} nor KongClusterPlugin ${p.ref.name} exists. ` +
            consequence,
          fix: `create the plugin, or remove the name from the annotation.`,
        },
      ];
    });
  },
};

export const pluginReferenceNotGranted: Rule = {
  id: 'plugin-reference-not-granted',
  severity: 'warn',
  dangling: true,
  summary: 'A remote `namespace:name` plugin reference without a ReferenceGrant that allows it.',
  explanation:
    'KIC resolves `konghq.com/plugins: other-ns:name` only when a ReferenceGrant in other-ns allows the referrer\'s kind and namespace to reference KongPlugins. ' +
    'Without it KIC records a translation failure ("no grant found") and ignores the reference.',
  examples: {
    bad: KONG_BASE + kongPluginIn('shared', 'shared-auth', 'key-auth') + httpRoute('route-b', '/route-b', 'shared:shared-auth'),
    good: KONG_BASE + kongPluginIn('shared', 'shared-auth', 'key-auth') + httpRoute('route-b', '/route-b', 'shared:shared-auth') + pluginGrant('shared'),
  },
  kinds: REFERRERS,
  check({ tr }, subject) {
    if (!tr.isManaged(subject)) return [];
    const ref = refOf(subject);
    return tr.pluginsOf(subject).flatMap((p): Draft[] =>
      p.problem !== 'not-granted'
        ? []
        : [
            {
              field: PLUGINS_FIELD,
              discriminator: `${p.ref.namespace}/${p.ref.name}`,
              related: [{ group: 'configuration.konghq.com', kind: 'KongPlugin', namespace: p.ref.namespace, name: p.ref.name }],
              message:
                `${name(subject)} references plugin "${p.ref.namespace}:${p.ref.name}" in another namespace, but no ReferenceGrant in namespace ${p.ref.namespace} allows ${subject.kind} from namespace ${subject.metadata.namespace} to reference KongPlugins. ` +
                `KIC ignores the reference, so ${subject.metadata.name} runs without that plugin.`,
              fix: `create a ReferenceGrant in ${p.ref.namespace} with from {group: "${ref.group}", kind: ${subject.kind}, namespace: ${subject.metadata.namespace}} and to {group: configuration.konghq.com, kind: KongPlugin}.`,
            },
          ],
    );
  },
};

export const PLUGIN_RULES: readonly Rule[] = [duplicatePluginScope, duplicateGlobalPlugin, kongPluginGlobalLabel, pluginNotAllowedOnConsumer, pluginNotAllowedOnScope, missingPlugin, pluginReferenceNotGranted];
