// Kong keeps a plugin's instance_name unique across the whole configuration (plugins.lua: `unique = true`), and KIC
// does not check it. KIC makes a KongPlugin's instance_name unique per attachment by suffixing it with a hash of the
// entities it lands on (kongstate.go, FillPlugins: "<name>-<first 9 hex digits of sha256>"), so one KongPlugin on many
// routes is fine. Two different plugins with one instance_name on the same scope get the same suffix, and two global
// KongClusterPlugins are passed on unsuffixed: Kong then rejects the whole configuration.
import { keyOf, refOf, type K8sObject } from '../model/object.ts';
import { isGlobalPlugin, pluginInstanceName, pluginType } from '../model/views.ts';
import { olderFirst } from '../state/view.ts';
import { scopeKey, scopeKind } from '../translate/kong.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { name, plainList } from './text.ts';
import { ownedInstances, uniquePlugins } from './plugins.ts';
import { httpRoute, KONG_BASE, kongPlugin } from './example-base.ts';

const PLUGINS_FIELD = 'metadata.annotations["konghq.com/plugins"]';
/** Kong's declarative loader on a repeated endpoint key (declarative_config.lua, uniqueness_error_msg). */
const rejects = (value: string) => `Kong rejects the configuration ("uniqueness violation: 'plugins' entity with instance_name set to '${value}' already declared")`;

export const duplicatePluginInstanceName: Rule = {
  id: 'duplicate-plugin-instance-name',
  kongRejects: true,
  severity: 'deny',
  orderSensitiveOnCreate: true,
  summary: 'Two plugins with the same instance_name land on the same scope, or two global KongClusterPlugins share one.',
  explanation:
    'Kong requires a plugin\'s instance_name to be unique. KIC suffixes a KongPlugin\'s instance_name with a hash of the route, service, consumer or ' +
    'consumer group it is attached to, so one plugin used in many places stays unique; but two different plugins with the same instance_name on the same ' +
    'scope get the same suffix, and global KongClusterPlugins are not suffixed at all. Kong then rejects the whole configuration, and KIC\'s fallback ' +
    'excludes the plugin Kong names (the newer one, here) and what depends on it. Two plugins of the same type on one scope are duplicate-plugin-scope\'s case.',
  examples: {
    bad: KONG_BASE + kongPlugin('limits', 'rate-limiting', 'instance_name: edge\nconfig: {minute: 5}') + kongPlugin('headers', 'cors', 'instance_name: edge') + httpRoute('route-b', '/route-b', 'limits, headers'),
    good: KONG_BASE + kongPlugin('limits', 'rate-limiting', 'instance_name: edge-limits\nconfig: {minute: 5}') + kongPlugin('headers', 'cors', 'instance_name: edge') + httpRoute('route-b', '/route-b', 'limits, headers'),
  },
  kinds: ['Ingress', 'HTTPRoute', 'Service', 'KongConsumer', 'KongConsumerGroup', 'KongClusterPlugin'],
  check(ctx, subject) {
    const { tr, view } = ctx;
    if (subject.kind === 'KongClusterPlugin') return tr.isManaged(subject) ? globalClash(ctx, subject) : [];
    // Fewer than two plugins with an instance_name: nothing to clash, and no need to translate the subject.
    const named = uniquePlugins(tr, subject).filter((p) => pluginInstanceName(p) !== undefined);
    if (named.length < 2 || !tr.isManaged(subject)) return [];
    const groups = new Map<string, { scope: string; kind: string; plugins: Map<string, K8sObject> }>();
    for (const plugin of named) {
      const instanceName = pluginInstanceName(plugin);
      if (!instanceName) continue;
      for (const instance of ownedInstances(tr, subject, plugin)) {
        const key = `${instanceName}|${scopeKey(instance.scope)}`;
        const group = groups.get(key) ?? { scope: scopeKey(instance.scope), kind: scopeKind(instance.scope), plugins: new Map() };
        group.plugins.set(keyOf(plugin), plugin);
        groups.set(key, group);
      }
    }
    const drafts = new Map<string, Draft>();
    for (const [key, group] of groups) {
      const plugins = [...group.plugins.values()].sort(olderFirst(view, keyOf));
      // One type twice on one scope is duplicate-plugin-scope's finding: one problem, one finding.
      if (plugins.length < 2 || new Set(plugins.map(pluginType)).size < 2) continue;
      const instanceName = key.slice(0, key.indexOf('|'));
      const discriminator = `${instanceName}|${plugins.map((p) => p.metadata.name).sort().join(',')}`;
      if (drafts.has(discriminator)) continue;
      drafts.set(discriminator, {
        field: PLUGINS_FIELD,
        discriminator,
        related: plugins.map(refOf),
        broken: refOf(plugins[plugins.length - 1]!),
        message:
          `${name(subject)} would carry ${plainList(plugins.map((p) => `${name(p)} ("${pluginType(p)}")`))} on the same scope (${group.kind}), all with instance_name "${instanceName}": ` +
          `KIC suffixes it with the same hash of that scope for each, so Kong receives one instance_name twice. ${rejects(`${instanceName}-<hash>`)}.`,
        fix: `give each of these plugins its own instance_name (or remove it), or attach only one of them to ${subject.metadata.name}.`,
      });
    }
    return [...drafts.values()];
  },
};

/** Global KongClusterPlugins keep their instance_name as written: the newer of two with one name is the broken one. */
function globalClash({ tr, view }: RuleContext, subject: K8sObject): Draft[] {
  const instanceName = pluginInstanceName(subject);
  if (!instanceName || !isGlobalPlugin(subject)) return [];
  const all = view.lookup('globalInstanceName', instanceName).filter((p) => tr.isManaged(p)).sort(olderFirst(view, keyOf));
  const holder = all[0];
  // Same type: duplicate-global-plugin's case (KIC drops both).
  if (!holder || keyOf(holder) === keyOf(subject) || pluginType(holder) === pluginType(subject)) return [];
  return [
    {
      field: 'instance_name',
      related: [refOf(holder)],
      message: `${name(subject)} and ${name(holder)} are both global plugins with instance_name "${instanceName}", which KIC passes to Kong unchanged. ${rejects(instanceName)}.`,
      fix: `rename the instance_name of one of them.`,
    },
  ];
}
