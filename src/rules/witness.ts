// Witness requests for route-stolen and route-precedence (router.md §9): a bounded, deterministic set of requests
// built from the predicates of two Kong routes, the victim's first (so the message names a request the victim was
// meant for); and who wins one, by Kong's router over the routes that can serve its host.
// A witness is only a candidate: the rule keeps it when Kong's router says the victim won it before the change,
// so a sample that matches nothing (a regex this tiny generator cannot satisfy) costs a look-up, never a wrong
// finding; it can only make the rule miss.
import { keyOf, setOwn, type K8sObject } from '../model/object.ts';
import { remembered } from '../model/bounded-cache.ts';
import { routedHostCandidates } from '../model/hosts.ts';
import type { StateView } from '../state/view.ts';
import { resolve, winnerOf, type Match, type Resolution } from '../router/resolve.ts';
import { normaliseRequest, type RequestInput, type RouterRequest } from '../router/request.ts';
import { pathStart, type RouterRoute } from '../router/route.ts';
import { isHttpRoute, routerFlavorOf, routerRoute } from '../trace/trace.ts';
import type { KongRoute } from '../translate/kong.ts';
import type { Translator } from '../translate/translator.ts';

const ROUTE_KINDS: readonly string[] = ['Ingress', 'HTTPRoute'];

/** At most this many requests per (victim route, changed route) pair. */
const MAX_WITNESSES = 256;

/** The predicates of a route, from its fields or (expressions router) from KIC's expression. */
export interface Predicates {
  hosts: string[];
  paths: string[];
  methods: string[];
  headers: Record<string, string>;
}

/** Routes are never mutated once translated, and one check asks for the same route's predicates with every other route. */
const predicates = new WeakMap<KongRoute, Predicates>();

export function predicatesOf(r: KongRoute): Predicates {
  let found = predicates.get(r);
  if (!found) predicates.set(r, (found = parsePredicates(r)));
  return found;
}

function parsePredicates(r: KongRoute): Predicates {
  const p: Predicates = { hosts: [...r.hosts], paths: [...r.paths], methods: [...r.methods], headers: {} };
  for (const [k, v] of Object.entries(r.headers ?? {})) if (v[0] !== undefined) setOwn(p.headers, k, v[0]);
  if (r.expression !== undefined) {
    // KIC's expressions (translate/*-expressions.ts): `http.host == "h"`, `http.host =^ ".suffix"`, `http.path ^= "/p"`,
    // `http.path == "/p"`, `http.path ~ "re"`, `http.method == "GET"`, `http.headers.x_y == "v"`.
    const e = r.expression;
    const unquote = (s: string) => s.replace(/\\(.)/g, '$1');
    for (const m of e.matchAll(/http\.host\s*==\s*"((?:[^"\\]|\\.)*)"/g)) p.hosts.push(unquote(m[1]!));
    for (const m of e.matchAll(/http\.host\s*=\^\s*"((?:[^"\\]|\\.)*)"/g)) p.hosts.push(`*${unquote(m[1]!)}`);
    for (const m of e.matchAll(/http\.path\s*(?:\^=|==)\s*"((?:[^"\\]|\\.)*)"/g)) p.paths.push(unquote(m[1]!));
    for (const m of e.matchAll(/http\.path\s*~\s*"((?:[^"\\]|\\.)*)"/g)) p.paths.push(`~${unquote(m[1]!)}`);
    for (const m of e.matchAll(/http\.method\s*==\s*"([A-Z]+)"/g)) p.methods.push(m[1]!);
    for (const m of e.matchAll(/http\.headers\.([a-z0-9_]+)\s*==\s*"((?:[^"\\]|\\.)*)"/g)) if (!Object.hasOwn(p.headers, m[1]!)) setOwn(p.headers, m[1]!, unquote(m[2]!));
  }
  return p;
}

/** One request a host pattern accepts: `*.a.com` -> `x.a.com`, `a.*` -> `a.example`. */
function hostSample(host: string): string {
  if (host.startsWith('*')) return `x${host.slice(1)}`;
  if (host.endsWith('.*')) return `${host.slice(0, -1)}example`;
  return host;
}

/**
 * A string a (start-anchored) regex probably matches: literals kept, `\d` -> 1, `\w` and `.` -> x, a class -> its
 * first character, groups opened and closed, quantifiers taken once; stops at `|` or `$`. Whether it really
 * matches is the router's business.
 */
export function regexSample(re: string): { sample: string; anchoredEnd: boolean } {
  let out = '';
  let i = re.startsWith('^') ? 1 : 0;
  while (i < re.length) {
    const c = re[i]!;
    if (c === '$') return { sample: out, anchoredEnd: true };
    if (c === '|') break;
    if (c === '\\') {
      const n = re[i + 1] ?? '';
      out += n === 'd' ? '1' : n === 'w' ? 'x' : n === 's' ? ' ' : /[a-zA-Z]/.test(n) ? 'x' : n;
      i += 2;
    } else if (c === '[') {
      const end = re.indexOf(']', i + 2);
      const body = re.slice(i + 1, end < 0 ? re.length : end);
      out += body.startsWith('^') ? 'x' : body.startsWith('\\d') ? '1' : body.startsWith('\\') ? (body[1] ?? 'x') : (body[0] ?? 'x');
      i = end < 0 ? re.length : end + 1;
    } else if (c === '(') {
      i += re.startsWith('(?:', i) ? 3 : re.startsWith('(?P<', i) || re.startsWith('(?<', i) ? re.indexOf('>', i) + 1 : re.startsWith('(?i)', i) ? 4 : 1;
    } else if (c === '{') {
      const end = re.indexOf('}', i);
      i = end < 0 ? re.length : end + 1;
    } else {
      if (c === '.') out += 'x';
      else if (!')*+?'.includes(c)) out += c;
      i++;
    }
  }
  return { sample: out, anchoredEnd: false };
}

const SAMPLES_KEPT = 4096;
const samples = new Map<string, string[]>();

/** Requests a path pattern accepts: the path itself and one segment below it. */
function pathSamples(path: string): string[] {
  return remembered(samples, SAMPLES_KEPT, path, () => samplesOf(path));
}

function samplesOf(path: string): string[] {
  if (path.startsWith('~')) {
    const { sample, anchoredEnd } = regexSample(path.slice(1));
    const base = sample.startsWith('/') ? sample : `/${sample}`;
    return anchoredEnd ? [base] : [base, base.endsWith('/') ? `${base}x` : `${base}/x`];
  }
  return [path, path.endsWith('/') ? `${path}x` : `${path}/x`];
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

const NO_HEADERS: readonly Record<string, string>[] = [Object.freeze({})];

/** The header sets to try: the union of both routes' headers, each route's value first where both name one header. */
function headerSetsOf(v: Record<string, string>, s: Record<string, string>): readonly Record<string, string>[] {
  // Most routes match no header: then one empty set (what the general case gives too).
  if (!Object.keys(v).length && !Object.keys(s).length) return NO_HEADERS;
  return unique([JSON.stringify({ ...s, ...v }), JSON.stringify({ ...v, ...s })]).map((h) => JSON.parse(h) as Record<string, string>);
}

/** A witness request, and a key that tells it from every other witness (its fields, each JSON-quoted). */
export type Witness = RequestInput & { readonly key: string };

/**
 * The witnesses for victim route `v` and changed route `s`: hosts x paths x methods x header sets x {http, https}, the
 * first MAX_WITNESSES of them. `tried`, when given, leaves out those whose path it refuses (they keep their place in
 * that count): a caller that can tell from the path alone that a witness is useless builds none of them.
 */
export function witnesses(v: KongRoute, s: KongRoute, tried?: (path: string) => boolean): Witness[] {
  const pv = predicatesOf(v);
  const ps = predicatesOf(s);
  const hosts = unique([...pv.hosts, ...ps.hosts].map(hostSample));
  const paths = unique([...pv.paths, ...ps.paths].flatMap(pathSamples));
  const methods = unique([...(pv.methods.length ? pv.methods : ['GET']), ...ps.methods]);
  // Extra headers never make a route fail; where both name one header, try each route's value.
  const headerSets = headerSetsOf(pv.headers, ps.headers);
  const out: Witness[] = [];
  const quoted = <T,>(values: readonly T[]) => values.map((value) => [value, JSON.stringify(value)] as const);
  const [methodKeys, headerKeys] = [quoted(methods), quoted(headerSets)];
  const perPath = methods.length * headerSets.length * 2;
  let place = 0;
  for (const [host, hostKey] of quoted(hosts.length ? hosts : ['example.invalid'])) {
    for (const [path, pathKey] of quoted(paths.length ? paths : ['/', '/x'])) {
      if (tried && !tried(path)) {
        place += perPath;
        if (place >= MAX_WITNESSES) return out;
        continue;
      }
      for (const [method, methodKey] of methodKeys) {
        for (const [headers, headersKey] of headerKeys) {
          for (const scheme of ['http', 'https'] as const) {
            if (place++ >= MAX_WITNESSES) return out;
            out.push({ scheme, method, host, path, headers, key: `${scheme}|${methodKey}|${hostKey}|${pathKey}|${headersKey}` });
          }
        }
      }
    }
  }
  return out;
}

/** The witness as a URL for a message. */
export function witnessUrl(q: RequestInput): string {
  const headers = Object.entries(q.headers ?? {}).map(([k, v]) => ` with header ${k}: ${String(v)}`);
  return `${q.scheme ?? 'http'}://${q.host ?? ''}${q.path ?? '/'}${headers.join(',')}`;
}

/**
 * The objects whose routes can serve one of these hostnames (none: a host-less request): those serving the host, a
 * wildcard above it, or every host; each once, in the order first found.
 */
export function hostNeighbours(view: StateView, hostnames: readonly string[]): K8sObject[] {
  // Each index entry once: an Ingress names its host once per path, and hosts share their wildcards and ''.
  const keys = new Set<string>();
  for (const host of new Set(hostnames.length ? hostnames : [''])) for (const key of host ? routedHostCandidates(host) : ['']) keys.add(key);
  const found = new Map<string, K8sObject>();
  for (const key of keys) for (const o of view.lookup('routedHost', key)) found.set(keyOf(o), o);
  return [...found.values()];
}

/** The routes Kong's HTTP router could pick for a Host: those of objects serving that host, a wildcard above it, or every host. */
function neighbourhood(tr: Translator, hostname: string): RouterRoute<KongRoute>[] {
  return hostNeighbours(tr.view, hostname ? [hostname] : [])
    .filter((o) => ROUTE_KINDS.includes(o.kind))
    .flatMap((o) => tr.routesOf(o))
    .filter(isHttpRoute)
    .map(routerRoute);
}

/** Who wins a witness, over the routes that can serve its host: the winner alone, or the whole resolution. */
export interface Resolver {
  /** Kong's pick for a normalised request (resolve()'s winner, without explaining the others): most witnesses ask only this. */
  winner(request: RouterRequest, without?: ReadonlySet<string>): Match<KongRoute> | undefined;
  /** The winner and the routes it beats, each with why (Kong's); the misses are not all there. */
  resolve(q: RequestInput, without?: ReadonlySet<string>): Resolution<KongRoute>;
}

/**
 * Who wins a witness: the router over the neighbourhood of the request's host (built once per host for one check),
 * less the routes whose paths cannot match the request's (pathStart), optionally without some routes (by ID: what
 * Kong would pick if they did not exist).
 */
export function resolver(tr: Translator): Resolver {
  const memo = new Map<string, PathNarrowed>();
  const flavor = routerFlavorOf(tr);
  const around = (host: string | undefined) => {
    const hostname = host === undefined ? '' : host;
    let routes = memo.get(hostname);
    if (!routes) memo.set(hostname, (routes = pathNarrowed(neighbourhood(tr, hostname))));
    return routes;
  };
  return {
    winner: (request, without) => winnerOf(around(request.host).candidates(request.path, without), request, flavor),
    resolve: (q, without) => {
      const request = normaliseRequest(q);
      return resolve(around(request.host).candidates(request.path, without), q, flavor);
    },
  };
}

interface PathNarrowed {
  /** The routes whose paths can match `path` (a route that cannot match changes neither the winner nor the ties). */
  candidates(path: string, without?: ReadonlySet<string>): RouterRoute<KongRoute>[];
}

/** `routes` with the start of each path (pathStart), so that a request is resolved only against those that may match it. */
export function pathNarrowed(routes: readonly RouterRoute<KongRoute>[]): PathNarrowed {
  // An expression route keeps its paths inside the expression: '' lets it through.
  const starts = routes.map((route) => ({ route, starts: route.paths?.length && route.expression === undefined ? route.paths.map(pathStart) : [''] }));
  return { candidates: (path, without) => starts.filter((r) => r.starts.some((s) => path.startsWith(s)) && !without?.has(r.route.id)).map((r) => r.route) };
}
