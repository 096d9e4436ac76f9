// HTTPRoute filters -> the Kong plugins KIC generates for them, per Kong route, with provenance.
// KIC (internal/dataplane/translator/subtranslator/httproute.go, setRoutePlugins and
// generatePluginsFromHTTPRouteFilters) turns a rule's filters into plugins nested in each Kong route of the rule:
//   RequestHeaderModifier  -> request-transformer   (set: replace + add, add: append, remove: remove)
//   ResponseHeaderModifier -> response-transformer  (same mapping)
//   URLRewrite             -> request-transformer   (path: replace.uri; hostname: replace + add of the host header)
//   RequestRedirect        -> redirect (KIC 3.4+ with Kong 3.9+), before that request-termination + a
//                             response-transformer adding the Location header
//   ExtensionRef           -> no plugin of its own: the KongPlugin's name is appended to the route's
//                             konghq.com/plugins, so it is placed exactly like an annotation plugin.
// The transformers of one route are merged per type (mergePluginsOfTheSameType: header lists appended, the first
// URI kept), so the filters never clash among themselves. setRoutePlugins appends the generated plugins to the
// route and nothing compares them with the konghq.com/plugins ones, which reach Kong as separate plugin entities.
import { EMPTY } from './compact.ts';
import { asArray, asString, isRecord, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { kicAtLeast } from './config.ts';
import type { Sourced } from './kong.ts';
import { normalizeRoutePath } from './route-fields.ts';
import type { Translator } from './translator.ts';

/** The filter types KIC translates; any other makes KIC fail the rule's Kong service (webhook: #7582). */
export const SUPPORTED_FILTERS = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'ExtensionRef'];

/** Where a generated plugin comes from: one filter of one rule. */
export interface FilterOrigin {
  rule: number;
  filter: number;
  type: string;
  /** `spec.rules[0].filters[1]` */
  field: string;
}

/** A plugin KIC generates from filters and nests in one Kong route. */
export interface GeneratedPlugin extends Sourced {
  /** Plugin type (`request-transformer`). */
  name: string;
  /** The Kong route it is nested in. */
  route: string;
  config: Record<string, unknown>;
  /** The filters it was generated from: several when KIC merged their transformers into one. */
  filters: FilterOrigin[];
}

/** A KongPlugin an ExtensionRef filter places on one Kong route. */
export interface ExtensionRefPlugin extends Sourced {
  route: string;
  /** The plugin name the filter gives (looked up like a konghq.com/plugins entry). */
  ref: string;
  /** What it resolves to: a KongPlugin of the namespace, else a KongClusterPlugin; absent when neither exists. */
  plugin?: ObjectRef;
  filter: FilterOrigin;
}

export interface FilterPlugins {
  generated: GeneratedPlugin[];
  extensionRefs: ExtensionRefPlugin[];
  /** Kong routes whose filters KIC cannot translate (an unsupported filter, ...): KIC drops their whole Kong service. */
  failed: string[];
}

/** Shared by every HTTPRoute without filters (most of them): memoised values are never mutated. */
export const NO_FILTER_PLUGINS: FilterPlugins = Object.freeze({ generated: EMPTY as never[], extensionRefs: EMPTY as never[], failed: EMPTY as never[] });

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isRecord(v) ? v : {});
const strings = (v: unknown): string[] => asArray(v).filter((s): s is string => typeof s === 'string');

interface Transformer {
  name: 'request-transformer' | 'response-transformer';
  replace: string[];
  uri?: string;
  add: string[];
  append: string[];
  remove: string[];
}

const transformer = (name: Transformer['name'], t: Partial<Transformer> = {}): Transformer => ({ name, replace: [], add: [], append: [], remove: [], ...t });

/** "name:value" without a space (KIC's NewHeader: some clients do not trim it); a bare name to remove. */
const header = (h: unknown): string => `${asString(rec(h).name) ?? ''}:${asString(rec(h).value) ?? ''}`;

/** generateHeaderModifierKongPlugin: set -> replace and add (replace alone misses absent headers), add -> append. */
function headerModifier(name: Transformer['name'], modifier: Rec): Transformer {
  const set = asArray(modifier.set).map(header);
  return transformer(name, { replace: set, add: set, append: asArray(modifier.add).map(header), remove: strings(modifier.remove) });
}

/** generateRequestTransformerReplaceURIForURLRewritePrefixMatch: the route's regex paths capture the rest. */
function prefixReplacement(replacePrefixMatch: string | undefined, matchPath: string): string {
  if (replacePrefixMatch === undefined) return '/';
  const prefix = replacePrefixMatch.replace(/\/$/, '');
  const root = matchPath === '/';
  if (prefix === '') return root ? '$(uri_captures[1] == nil and "/" or "/" .. uri_captures[1])' : '$(uri_captures[1] == nil and "/" or uri_captures[1])';
  return root ? `${prefix}$(uri_captures[1] == nil and "" or "/" .. uri_captures[1])` : `${prefix}$(uri_captures[1])`;
}

/** generateRequestTransformerForURLRewrite; undefined where KIC returns an error (the Kong service is then dropped). */
function urlRewrite(filter: Rec, matchPath: string): Transformer[] | undefined {
  const path = isRecord(filter.path) ? filter.path : undefined;
  const hostname = asString(filter.hostname);
  if (!path && hostname === undefined) return undefined;
  const out: Transformer[] = [];
  if (path) {
    const type = asString(path.type);
    if (type === 'ReplaceFullPath') {
      const full = asString(path.replaceFullPath);
      if (full === undefined) return undefined;
      out.push(transformer('request-transformer', { uri: full }));
    } else if (type === 'ReplacePrefixMatch') {
      out.push(transformer('request-transformer', { uri: prefixReplacement(asString(path.replacePrefixMatch), normalizeRoutePath(matchPath)) }));
    } else {
      return undefined;
    }
  }
  if (hostname !== undefined) out.push(transformer('request-transformer', { replace: [`host:${hostname}`], add: [`host:${hostname}`] }));
  return out;
}

/** Go's path.Join: joined, cleaned, no trailing slash. */
function joinPath(a: string, b: string): string {
  const parts = `${a}/${b}`.split('/').filter((p) => p !== '' && p !== '.');
  return parts.join('/');
}

/**
 * RequestRedirect's target: scheme://hostname[:port] + path when a hostname is given, else the path alone
 * (schemeHostPortFromHTTPPathModifier: the scheme defaults to http). Only ReplaceFullPath changes the path.
 */
function redirectLocation(filter: Rec, path: string): string {
  const hostname = asString(filter.hostname);
  if (hostname === undefined) return path;
  const port = typeof filter.port === 'number' ? `:${filter.port}` : '';
  return `${asString(filter.scheme) ?? 'http'}://${joinPath(hostname + port, path)}`;
}

function fullPath(filter: Rec): string | undefined {
  const path = rec(filter.path);
  return asString(path.type) === 'ReplaceFullPath' ? asString(path.replaceFullPath) : undefined;
}

/** The Gateway API CRD defaults statusCode to 302, and the API server applies it before KIC reads the object. */
const statusCode = (filter: Rec): number => (typeof filter.statusCode === 'number' ? filter.statusCode : 302);

function toConfig(t: Transformer): Rec {
  const config: Rec = {};
  if (t.replace.length || t.uri) config.replace = { ...(t.replace.length ? { headers: t.replace } : {}), ...(t.uri ? { uri: t.uri } : {}) };
  if (t.add.length) config.add = { headers: t.add };
  if (t.append.length) config.append = { headers: t.append };
  if (t.remove.length) config.remove = { headers: t.remove };
  return config;
}

interface RuleFilters {
  rule: number;
  filters: { origin: FilterOrigin; body: Rec }[];
}

/** A rule's filters as written; the typed body sits under the camel-cased type (`urlRewrite`, `requestRedirect`). */
function ruleFilters(rule: Rec, r: number): RuleFilters {
  const filters = asArray(rule.filters).flatMap((f, i) => {
    if (!isRecord(f)) return [];
    const type = asString(f.type) ?? '';
    const key = type === 'URLRewrite' ? 'urlRewrite' : type.charAt(0).toLowerCase() + type.slice(1);
    return [{ origin: { rule: r, filter: i, type, field: `spec.rules[${r}].filters[${i}]` }, body: rec(f[key]) }];
  });
  return { rule: r, filters };
}

/**
 * The plugins of one Kong route from its rule's filters, or undefined where KIC's generatePluginsFromHTTPRouteFilters
 * returns an error: KIC then skips the whole Kong service, so nothing is generated.
 */
function routePlugins(tr: Translator, obj: K8sObject, route: string, rf: RuleFilters, matchPath: string): FilterPlugins | undefined {
  const source = refOf(obj);
  const generated: GeneratedPlugin[] = [];
  const transformers: { t: Transformer; origin: FilterOrigin }[] = [];
  const extensionRefs: ExtensionRefPlugin[] = [];
  for (const { origin, body } of rf.filters) {
    switch (origin.type) {
      case 'RequestHeaderModifier':
        transformers.push({ t: headerModifier('request-transformer', body), origin });
        break;
      case 'ResponseHeaderModifier':
        transformers.push({ t: headerModifier('response-transformer', body), origin });
        break;
      case 'URLRewrite': {
        const ts = urlRewrite(body, matchPath);
        if (!ts) return undefined;
        for (const t of ts) transformers.push({ t, origin });
        break;
      }
      case 'RequestRedirect': {
        const replaced = fullPath(body);
        // KIC 3.4 uses Kong 3.9's redirect plugin (KongRedirectPluginCutoff); the Kong judged here is 3.9.3.
        if (kicAtLeast(tr.config, '3.4')) {
          const config = { status_code: statusCode(body), location: redirectLocation(body, replaced ?? '/'), keep_incoming_path: replaced === undefined };
          generated.push({ name: 'redirect', route, config, filters: [origin], sources: [source] });
        } else {
          // KIC 3.2 and 3.3: "Location: " with a space, port 80 unless given, the match path unless replaced.
          const port = typeof body.port === 'number' ? body.port : 80;
          const location = redirectLocation({ ...body, port }, replaced ?? matchPath);
          generated.push({ name: 'request-termination', route, config: { status_code: statusCode(body) }, filters: [origin], sources: [source] });
          transformers.push({ t: transformer('response-transformer', { add: [`Location: ${location}`] }), origin });
        }
        break;
      }
      case 'ExtensionRef': {
        // generateExtensionRefKongPlugin accepts only KongPlugins; the name then goes through konghq.com/plugins.
        if (asString(body.group) !== 'configuration.konghq.com' || asString(body.kind) !== 'KongPlugin') return undefined;
        const ref = asString(body.name) ?? '';
        const plugin = tr.resolve(obj, { namespace: obj.metadata.namespace ?? '', name: ref, remote: false }).plugin;
        extensionRefs.push({ route, ref, ...(plugin ? { plugin: refOf(plugin) } : {}), filter: origin, sources: [source] });
        break;
      }
      default:
        return undefined;
    }
  }
  // mergePluginsOfTheSameType: one transformer per type, header lists appended in filter order, the first URI
  // kept (mergo.Merge never overwrites a set field); the merged plugins follow the others, sorted by type.
  const byType = new Map<string, { t: Transformer; origins: FilterOrigin[] }>();
  for (const { t, origin } of transformers) {
    const merged = byType.get(t.name);
    if (!merged) {
      byType.set(t.name, { t: { ...t, replace: [...t.replace], add: [...t.add], append: [...t.append], remove: [...t.remove] }, origins: [origin] });
      continue;
    }
    const m = merged.t;
    m.replace.push(...t.replace);
    m.add.push(...t.add);
    m.append.push(...t.append);
    m.remove.push(...t.remove);
    if (!m.uri && t.uri) m.uri = t.uri;
    if (!merged.origins.includes(origin)) merged.origins.push(origin);
  }
  for (const type of [...byType.keys()].sort()) {
    const { t, origins } = byType.get(type)!;
    generated.push({ name: t.name, route, config: toConfig(t), filters: origins, sources: [source] });
  }
  return { generated, extensionRefs, failed: [] };
}

/** Kong route fields name the match they come from: `spec.rules[r].matches[i]` (translator.ts). */
const MATCH_FIELD = /^spec\.rules\[(\d+)\]\.matches\[(\d+)\]$/;

/** Whether any rule of an HTTPRoute has a filter: without one, translateHTTPRouteFilters generates nothing. */
export function hasRouteFilters(obj: K8sObject): boolean {
  return asArray(rec(obj.spec).rules).some((rule) => asArray(rec(rule).filters).some(isRecord));
}

/** Every plugin KIC generates from an HTTPRoute's filters, for each of its Kong routes. */
export function translateHTTPRouteFilters(tr: Translator, obj: K8sObject): FilterPlugins {
  // KIC 3.0 and 3.1 do not translate URLRewrite and combine filters differently: not modelled (no finding).
  if (!kicAtLeast(tr.config, '3.2')) return NO_FILTER_PLUGINS;
  const rules = asArray(rec(obj.spec).rules);
  const out: FilterPlugins = { generated: [], extensionRefs: [], failed: [] };
  for (const route of tr.httpRoute(obj).routes) {
    const at = MATCH_FIELD.exec(route.field);
    if (!at) continue;
    const r = Number(at[1]);
    const rule = rec(rules[r]);
    const rf = ruleFilters(rule, r);
    if (!rf.filters.length) continue;
    // An explicit `matches: []` takes KIC's no-match branch of GenerateKongRoutesFromHTTPRouteMatches, which returns
    // the route without calling setRoutePlugins: its filters are ignored. An absent list is defaulted by the CRD to one
    // PathPrefix "/" match before KIC sees it, as is an absent match path.
    if (Array.isArray(rule.matches) && rule.matches.length === 0) continue;
    const match = rec(asArray(rule.matches)[Number(at[2])]);
    const plugins = routePlugins(tr, obj, route.name, rf, asString(rec(match.path).value) ?? '/');
    if (!plugins) {
      out.failed.push(route.name);
      continue;
    }
    out.generated.push(...plugins.generated);
    out.extensionRefs.push(...plugins.extensionRefs);
  }
  return out.generated.length || out.extensionRefs.length || out.failed.length ? out : NO_FILTER_PLUGINS;
}
