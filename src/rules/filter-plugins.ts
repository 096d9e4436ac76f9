// duplicate-plugin-scope, for the plugins KIC generates from an HTTPRoute's filters. KIC nests them in the rule's
// Kong routes (setRoutePlugins appends them) while konghq.com/plugins and ExtensionRef KongPlugins become separate
// plugin entities on the same routes: nothing in KIC compares the two, so a request-transformer KongPlugin next to
// a URLRewrite filter gives Kong two request-transformer plugins on one route, and Kong rejects the configuration.
// The filters never clash among themselves (KIC merges their transformers per route), so only pairs with a
// KongPlugin are judged; two KongPlugins from konghq.com/plugins alone are plugins.ts's own case.
import { keyOf, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { pluginType } from '../model/views.ts';
import { olderFirst } from '../state/view.ts';
import type { FilterOrigin } from '../translate/httproute-filters.ts';
import type { KongPluginInstance } from '../translate/kong.ts';
import type { Translator } from '../translate/translator.ts';
import type { Draft } from './rule.ts';
import { name, plainList } from './text.ts';

/** One plugin of a type on one Kong route, and where it comes from. */
interface Placed {
  type: string;
  /** Identity across routes: the filters, or the plugin object. */
  id: string;
  filters?: FilterOrigin[];
  plugin?: ObjectRef;
  /** The ExtensionRef filter that names the plugin; absent when konghq.com/plugins does. */
  extensionRef?: FilterOrigin;
}

const WHAT: Record<string, string> = {
  RequestHeaderModifier: 'header changes',
  ResponseHeaderModifier: 'header changes',
  URLRewrite: 'rewrite',
  RequestRedirect: 'redirect',
};

function describePlaced(p: Placed, subject: K8sObject): string {
  if (p.filters) {
    const types = [...new Set(p.filters.map((f) => f.type))];
    const rules = [...new Set(p.filters.map((f) => f.rule))];
    const how = p.filters.length > 1 ? `KIC merges them into one ${p.type}` : `KIC generates a ${p.type} for it`;
    return `the ${plainList(types)} filter${p.filters.length > 1 ? 's' : ''} of ${name(subject)} rule ${rules.join(', ')} (${how})`;
  }
  return `${name(p.plugin!)} (${p.extensionRef ? `named by the ExtensionRef filter at ${p.extensionRef.field}` : 'konghq.com/plugins'})`;
}

/** How to take a KongPlugin off the route: out of the annotation, or drop the ExtensionRef filter. */
const removal = (p: Placed, subject: K8sObject): string =>
  p.extensionRef ? `remove the ExtensionRef filter at ${p.extensionRef.field}` : `remove "${p.plugin!.name}" from the konghq.com/plugins of ${subject.metadata.name}`;

function fixFor(entries: Placed[], subject: K8sObject): string {
  const generated = entries.find((e) => e.filters);
  const plugins = entries.filter((e) => e.plugin);
  if (!generated) return `keep one of them: ${plugins.map((p) => removal(p, subject)).join(', or ')}.`;
  const filters = generated.filters!;
  const what = [...new Set(filters.map((f) => WHAT[f.type] ?? 'settings'))].join(' and ');
  const fields = plainList(filters.map((f) => f.field));
  return (
    `move the ${what} of ${fields} into ${plainList(plugins.map((p) => name(p.plugin!)))} (its "${generated.type}" configuration) and remove the filter, ` +
    `or ${plugins.map((p) => removal(p, subject)).join(', or ')}.`
  );
}

/**
 * Findings for two plugins of one type on one Kong route of `subject` where at least one comes from a filter
 * (generated, or an ExtensionRef KongPlugin). `routeInstances` are the route-scoped instances of the subject's
 * konghq.com/plugins KongPlugins (KIC's GetCombinations), one finding per clash across the routes it reaches.
 */
export function filterPluginClashes(tr: Translator, subject: K8sObject, routeInstances: KongPluginInstance[]): Draft[] {
  const { generated, extensionRefs } = tr.httpRouteFilterPlugins(subject);
  if (!generated.length && !extensionRefs.length) return [];
  const byRoute = new Map<string, Placed[]>();
  const put = (route: string, p: Placed) => {
    const list = byRoute.get(route) ?? [];
    if (!list.some((e) => e.id === p.id)) list.push(p);
    byRoute.set(route, list);
  };
  for (const g of generated) put(g.route, { type: g.name, id: `filters:${g.filters.map((f) => f.field).join(',')}`, filters: g.filters });
  for (const e of extensionRefs) {
    const plugin = e.plugin ? tr.view.get(refKey(e.plugin)) : undefined;
    const type = plugin ? pluginType(plugin) : undefined;
    if (!plugin || !type) continue;
    // A KongPlugin that KongConsumers or consumer groups reference exists only per consumer (GetCombinations), so on
    // this route it would be a consumer x route instance, which clashes with none of these: never judged.
    if (tr.principalsOf(plugin).principals.length > 0) continue;
    put(e.route, { type, id: keyOf(plugin), plugin: refOf(plugin), extensionRef: e.filter });
  }
  for (const i of routeInstances) {
    const { route, service, consumer, consumerGroup } = i.scope;
    // Only a plugin on the route alone shares the generated plugins' scope; a consumer x route one does not.
    if (route === undefined || service || consumer || consumerGroup || !byRoute.has(route)) continue;
    put(route, { type: i.name, id: refKey(i.plugin), plugin: i.plugin });
  }

  // One finding per clash, listing every Kong route it reaches (a rule with several matches has several).
  const clashes = new Map<string, { entries: Placed[]; routes: string[] }>();
  for (const [route, placed] of byRoute) {
    const types = new Set(placed.map((p) => p.type));
    for (const type of types) {
      const entries = placed.filter((p) => p.type === type);
      if (entries.length < 2 || entries.every((e) => !e.filters && !e.extensionRef)) continue;
      const key = `${type}|${entries.map((e) => e.id).sort().join('|')}`;
      const clash = clashes.get(key) ?? { entries, routes: [] };
      clash.routes.push(route);
      clashes.set(key, clash);
    }
  }
  return [...clashes].map(([key, { entries, routes }]): Draft => {
    const first = entries[0]!;
    const origin = entries.find((e) => e.filters)?.filters?.[0] ?? entries.find((e) => e.extensionRef)?.extensionRef;
    const plugins = entries.flatMap((e) => (e.plugin ? [e.plugin] : []));
    // Two KongPlugins: Kong's error points at one of them (the newest, as in plugins.ts). With a generated plugin
    // the HTTPRoute is the subject, and the fallback excludes it either way.
    const objects = entries.length === plugins.length ? plugins.map((p) => tr.view.get(refKey(p))).filter((p) => p !== undefined) : [];
    const newest = objects.sort(olderFirst(tr.view, keyOf))[objects.length - 1];
    return {
      ...(origin ? { field: origin.field } : {}),
      discriminator: `filters|${key}`,
      related: plugins,
      ...(newest ? { broken: refOf(newest) } : {}),
      message:
        `${name(subject)} would carry ${entries.length} "${first.type}" plugins on the same scope (route) in Kong route${routes.length > 1 ? 's' : ''} ${plainList(routes)}: ` +
        `${plainList(entries.map((e) => describePlaced(e, subject)))}. Kong rejects a configuration with two plugins of one type on one scope.`,
      fix: fixFor(entries, subject),
    };
  });
}
