// The plugins Kong runs on a request that matched a route: one instance per plugin type, the most specific
// scope winning (route over service over global for a request whose consumer is not known yet; instances bound
// to a consumer replace them once that consumer is identified), run in descending PRIORITY of the plugin's
// handler (Kong 3.9.3 kong/plugins/*/handler.lua). Then what the ones that can stop a request would answer this
// one: an auth plugin without a credential (401), request-termination, the redirect of a RequestRedirect filter.
import { describe, isRecord, refKey, type ObjectRef } from '../model/object.ts';
import type { KongPluginInstance, KongRoute, KongService } from '../translate/kong.ts';
import type { Translator } from '../translate/translator.ts';
import { headerField } from '../router/request.ts';
import { rewritePlugin } from '../translate/ingress-rewrite.ts';

/** Kong 3.9.3 handler PRIORITY of the plugins whose place in the order matters here; others run between. */
const PRIORITY: Record<string, number> = {
  'bot-detection': 2500,
  cors: 2000,
  jwt: 1450,
  oauth2: 1400,
  'key-auth': 1250,
  'ldap-auth': 1200,
  'basic-auth': 1100,
  'hmac-auth': 1030,
  'ip-restriction': 990,
  acl: 950,
  'rate-limiting': 910,
  'request-transformer': 801,
  'response-transformer': 800,
  redirect: 779,
  'request-termination': 2,
};

export interface PluginAnswer {
  status: number;
  message: string;
  reason: string;
}

export interface PluginRun {
  /** Plugin type (`key-auth`). */
  name: string;
  /** Where it comes from: the KongPlugin or KongClusterPlugin, or the HTTPRoute whose filter KIC turned into it. */
  source: ObjectRef;
  /** The scope it is bound to, in Kong's words. */
  scope: string;
  priority: number;
  /** Set when it runs only for an identified consumer (`consumer bob`). */
  when?: string;
  /** With `when`: it then takes the place of the instance of the same type that runs otherwise. */
  replaces?: boolean;
  /** What it answers this request, when it stops it. */
  answer?: PluginAnswer;
}

export interface RequestFacts {
  /** Header field name as the router keeps it (`x_api_key`) -> values. */
  headers: ReadonlyMap<string, readonly string[]>;
  queries: ReadonlyMap<string, readonly string[]>;
}

const list = (v: unknown, fallback: string[]): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : fallback);

/** Whether an auth plugin finds a credential in the request (it then checks it against Kong's consumers). */
function credentialAnswer(type: string, config: Record<string, unknown>, req: RequestFacts): PluginAnswer | undefined {
  if (typeof config.anonymous === 'string' && config.anonymous) return undefined; // an anonymous consumer lets it pass
  const header = (name: string) => req.headers.has(headerField(name));
  const query = (name: string) => req.queries.has(name);
  switch (type) {
    case 'key-auth': {
      const names = list(config.key_names, ['apikey']);
      const inHeader = config.key_in_header !== false && names.some(header);
      const inQuery = config.key_in_query !== false && names.some(query);
      return inHeader || inQuery ? undefined : { status: 401, message: 'No API key found in request', reason: `key-auth looks for ${names.map((n) => `"${n}"`).join(', ')} in a header or the query string` };
    }
    case 'jwt': {
      const found = list(config.header_names, ['authorization']).some(header) || list(config.uri_param_names, ['jwt']).some(query) || list(config.cookie_names, []).length > 0;
      return found ? undefined : { status: 401, message: 'Unauthorized', reason: 'jwt finds no token (Authorization header or jwt query parameter)' };
    }
    case 'basic-auth':
    case 'hmac-auth':
    case 'ldap-auth':
      return header('authorization') || header('proxy-authorization') ? undefined : { status: 401, message: 'Unauthorized', reason: `${type} finds no Authorization or Proxy-Authorization header` };
    case 'oauth2':
      return header('authorization') || query('access_token') ? undefined : { status: 401, message: 'The access token is missing', reason: 'oauth2 finds no access_token' };
    default:
      return undefined;
  }
}

/** request-termination (its `trigger`, when set, must be present as a header or query parameter) and redirect. */
function terminationAnswer(type: string, config: Record<string, unknown>, req: RequestFacts, by: string): PluginAnswer | undefined {
  if (type === 'request-termination') {
    const trigger = typeof config.trigger === 'string' ? config.trigger : undefined;
    if (trigger && !req.headers.has(headerField(trigger)) && !req.queries.has(trigger)) return undefined;
    const status = typeof config.status_code === 'number' ? config.status_code : 503;
    const message = typeof config.message === 'string' ? config.message : typeof config.body === 'string' ? '(its configured body)' : 'its default message';
    return { status, message, reason: `request-termination from ${by} answers every request of this route` };
  }
  if (type === 'redirect') {
    const status = typeof config.status_code === 'number' ? config.status_code : 301;
    return { status, message: `Location: ${String(config.location ?? '')}`, reason: `redirect generated by KIC from ${by}` };
  }
  return undefined;
}

function answerOf(type: string, config: Record<string, unknown>, req: RequestFacts, by: string): PluginAnswer | undefined {
  return credentialAnswer(type, config, req) ?? terminationAnswer(type, config, req, by);
}

function scopeText(i: KongPluginInstance): string {
  if (i.scope.route) return `route ${i.scope.route}`;
  if (i.scope.service) return `service ${i.scope.service}`;
  return i.scope.consumer || i.scope.consumerGroup ? 'every route' : 'global';
}

/** Kong's scope precedence for a request without a known consumer (more specific wins). */
function rank(i: KongPluginInstance): number {
  return i.scope.route ? 3 : i.scope.service ? 2 : 1;
}

interface InstanceIndex {
  /** Every instance, in the order of the plugin objects (which decides among instances of one type and scope). */
  order: Map<KongPluginInstance, number>;
  byRoute: Map<string, KongPluginInstance[]>;
  byService: Map<string, KongPluginInstance[]>;
  /** Neither route nor service: global, or on consumers alone. */
  unscoped: KongPluginInstance[];
}

/** A translator's plugin instances by the route or service they are bound to, built once: a trace reads a few of them. */
const instanceIndexes = new WeakMap<Translator, InstanceIndex>();

function instanceIndex(tr: Translator): InstanceIndex {
  let index = instanceIndexes.get(tr);
  if (!index) {
    index = { order: new Map(), byRoute: new Map(), byService: new Map(), unscoped: [] };
    for (const i of ['KongPlugin', 'KongClusterPlugin'].flatMap((kind) => [...tr.view.list(kind)].flatMap((p) => tr.instances(p)))) {
      index.order.set(i, index.order.size);
      const [map, key] = i.scope.route !== undefined ? [index.byRoute, i.scope.route] : i.scope.service !== undefined ? [index.byService, i.scope.service] : [undefined, ''];
      if (!map) index.unscoped.push(i);
      else {
        const list = map.get(key);
        if (list) list.push(i);
        else map.set(key, [i]);
      }
    }
    instanceIndexes.set(tr, index);
  }
  return index;
}

export function pluginsOnRoute(tr: Translator, route: KongRoute, service: KongService | undefined, req: RequestFacts): PluginRun[] {
  const index = instanceIndex(tr);
  const applies = (i: KongPluginInstance) =>
    (i.scope.route === undefined || i.scope.route === route.name) && (i.scope.service === undefined || i.scope.service === service?.name);
  const instances = [...(index.byRoute.get(route.name) ?? []), ...(service ? (index.byService.get(service.name) ?? []) : []), ...index.unscoped]
    .filter(applies)
    .sort((a, b) => index.order.get(a)! - index.order.get(b)!);
  const config = (ref: ObjectRef): Record<string, unknown> => {
    const obj = tr.view.get(refKey(ref));
    return obj && isRecord(obj.config) ? obj.config : {};
  };
  const runs: PluginRun[] = [];
  // Without a consumer: the most specific instance of each type.
  const best = new Map<string, KongPluginInstance>();
  for (const i of instances) {
    if (i.scope.consumer || i.scope.consumerGroup) continue;
    const seen = best.get(i.name);
    if (!seen || rank(i) > rank(seen)) best.set(i.name, i);
  }
  for (const i of best.values()) {
    runs.push({ name: i.name, source: i.plugin, scope: scopeText(i), priority: PRIORITY[i.name] ?? 1000, ...withAnswer(answerOf(i.name, config(i.plugin), req, describe(i.plugin))) });
  }
  for (const i of instances) {
    const who = i.scope.consumer ? `consumer ${i.scope.consumer}` : i.scope.consumerGroup ? `consumer group ${i.scope.consumerGroup}` : undefined;
    if (who) runs.push({ name: i.name, source: i.plugin, scope: scopeText(i), priority: PRIORITY[i.name] ?? 1000, when: who, ...(best.has(i.name) ? { replaces: true } : {}) });
  }
  const obj = route.sources[0] ? tr.view.get(refKey(route.sources[0])) : undefined;
  const rewrite = obj?.kind === 'Ingress' ? rewritePlugin(tr.config, obj, route) : undefined;
  if (rewrite) {
    const field = 'metadata.annotations["konghq.com/rewrite"]';
    runs.push({ name: rewrite.name, source: route.sources[0]!, scope: `route ${route.name} (generated from ${field})`, priority: PRIORITY[rewrite.name] ?? 1000, ...withAnswer(answerOf(rewrite.name, rewrite.config, req, `${describe(route.sources[0]!)} ${field}`)) });
  }
  if (obj?.kind === 'HTTPRoute') {
    const filters = tr.httpRouteFilterPlugins(obj);
    for (const g of filters.generated.filter((p) => p.route === route.name)) {
      const by = `${describe(g.sources[0]!)} ${g.filters.map((f) => f.field).join(', ')} (${g.filters.map((f) => f.type).join(', ')})`;
      runs.push({ name: g.name, source: g.sources[0]!, scope: `route ${route.name} (generated from ${g.filters.map((f) => f.field).join(', ')})`, priority: PRIORITY[g.name] ?? 1000, ...withAnswer(answerOf(g.name, g.config, req, by)) });
    }
    for (const e of filters.extensionRefs.filter((p) => p.route === route.name && p.plugin)) {
      const plugin = tr.view.get(refKey(e.plugin!));
      const type = typeof plugin?.plugin === 'string' ? plugin.plugin : e.ref;
      if (runs.some((r) => r.source.name === e.plugin!.name && r.source.kind === e.plugin!.kind && r.name === type)) continue;
      runs.push({ name: type, source: e.plugin!, scope: `route ${route.name} (ExtensionRef ${e.filter.field})`, priority: PRIORITY[type] ?? 1000, ...withAnswer(answerOf(type, config(e.plugin!), req, describe(e.plugin!))) });
    }
  }
  return runs.sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name));
}

function withAnswer(answer: PluginAnswer | undefined): { answer?: PluginAnswer } {
  return answer ? { answer } : {};
}
