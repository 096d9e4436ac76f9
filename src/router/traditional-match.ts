// Matching of a traditional route part, field by field, as Kong 3.9 compiles it to an ATC expression
// (kong/router/transform.lua `get_expression`) and atc-router evaluates it:
// - snis: `(net.protocol != "https" || tls.sni == …)`: checked only for https; `*.x` is a suffix `.x`,
//   `x.*` a prefix `x.`, a trailing dot of the route value is dropped;
// - methods: exact and case-sensitive;
// - hosts: `h` exact (never lower-cased), `*.x` suffix `.x` (any number of labels, never `x` itself), `x.*`
//   prefix, `h:port` also needs `net.dst.port == port`;
// - paths: a plain path is a string prefix (not segment-aware); `~re` is the Rust regex `^re` (anchored at
//   the start only) with `?<` rewritten to `?P<`;
// - headers: every header name must match; for one name, any request value, lower-cased, equal to any route
//   value lower-cased, or matched (unanchored) by a `~*` regex whose text Kong lower-cases too;
// - protocols: not part of the expression in traditional_compatible (compat.lua uses transform.lua's
//   expression as is); the expressions flavour appends `net.protocol == …` unless the route's only protocol
//   is https (expressions.lua `get_expression`), so that Kong can answer 426 or redirect.
// Failure messages are getters: a request is checked against every route part and most fail, while only the few
// nearest misses are ever shown, so their text is built only when read.
import { type Failure, list, quote } from './failure.ts';
import type { RouterRequest } from './request.ts';
import { headerField, splitHostPort } from './request.ts';
import { isRegexPath, type RoutePart, type RouterFlavor } from './route.ts';
import { compileRustRegex, type CompiledRegex } from './rust-regex.ts';

export interface PartMatch {
  /** Every failing predicate group, in the order Kong ANDs them; empty when the part matches. */
  readonly failures: readonly Failure[];
  /** How many of the part's predicate groups hold (to rank near misses). */
  readonly passed: number;
  /** The path alternative that matched, when the path group held. */
  readonly matchedPath?: string;
}

/**
 * Whether the part matches the request, and on which path: what matchTraditionalPart finds, without building a
 * failure for each group that does not hold (finding a winner needs no reasons). `null`: no match; `undefined`:
 * a match on a part without paths; a string: a match on that path.
 */
export function traditionalPartMatch(part: RoutePart, req: RouterRequest, flavor: RouterFlavor): string | null | undefined {
  const r = part.route;
  if (!sniHolds(r.snis, req) || !methodHolds(r.methods, req) || !hostHolds(r.hosts, req)) return null;
  const path = matchedPath(part, req.path);
  if (path === null || headerFailure(r.headers, req) || (flavor === 'expressions' && protocolFailure(r.protocols, req))) return null;
  return path;
}

export function matchTraditionalPart(part: RoutePart, req: RouterRequest, flavor: RouterFlavor): PartMatch {
  const r = part.route;
  const path = pathResult(part, req);
  const groups: { present: boolean; failure: Failure | undefined }[] = [
    { present: !!r.snis?.length, failure: sniFailure(r.snis, req) },
    { present: !!r.methods?.length, failure: methodFailure(r.methods, req) },
    { present: !!r.hosts?.length, failure: hostFailure(r.hosts, req) },
    { present: !!part.paths?.length, failure: path.failure },
    { present: Object.keys(r.headers ?? {}).length > 0, failure: headerFailure(r.headers, req) },
    { present: flavor === 'expressions' && !!r.protocols?.length, failure: flavor === 'expressions' ? protocolFailure(r.protocols, req) : undefined },
  ];
  const failures = groups.flatMap((g) => (g.failure ? [g.failure] : []));
  const passed = groups.filter((g) => g.present && !g.failure).length;
  return path.matchedPath === undefined ? { failures, passed } : { failures, passed, matchedPath: path.matchedPath };
}

function sniHolds(snis: readonly string[] | undefined, req: RouterRequest): boolean {
  return !snis?.length || req.scheme !== 'https' || (req.sni !== undefined && snis.some((s) => sniMatches(s, req.sni!)));
}

function sniFailure(snis: readonly string[] | undefined, req: RouterRequest): Failure | undefined {
  if (!snis?.length || sniHolds(snis, req)) return undefined;
  if (req.sni === undefined) return { group: 'sni', code: 'sni-missing', get message() { return `the https request sent no SNI; the route needs one of ${list(snis)}`; } };
  return { group: 'sni', code: 'sni-mismatch', get message() { return `SNI ${quote(req.sni)} is not one of the route's snis ${list(snis)}`; } };
}

function sniMatches(sni: string, value: string): boolean {
  if (sni.endsWith('*') && !sni.startsWith('*')) return value.startsWith(sni.slice(0, -1));
  const v = sni.length > 1 && sni.endsWith('.') ? sni.slice(0, -1) : sni;
  return v.startsWith('*') ? value.endsWith(v.slice(1)) : value === v;
}

function methodHolds(methods: readonly string[] | undefined, req: RouterRequest): boolean {
  return !methods?.length || methods.includes(req.method);
}

function methodFailure(methods: readonly string[] | undefined, req: RouterRequest): Failure | undefined {
  if (!methods?.length || methodHolds(methods, req)) return undefined;
  return { group: 'method', code: 'method-mismatch', get message() { return `method ${req.method} is not one of ${list(methods)}`; } };
}

/** One route host against the request's Host name and port. */
export function hostMatches(routeHost: string, host: string, port: number): boolean {
  const { host: h, port: wanted } = splitHostPort(routeHost);
  if (wanted !== undefined && wanted !== port) return false;
  if (h.startsWith('*')) return host.endsWith(h.slice(1));
  if (h.endsWith('*')) return host.startsWith(h.slice(0, -1));
  return host === h;
}

function hostHolds(hosts: readonly string[] | undefined, req: RouterRequest): boolean {
  return !hosts?.length || (req.host !== undefined && hosts.some((h) => hostMatches(h, req.host!, req.port)));
}

function hostFailure(hosts: readonly string[] | undefined, req: RouterRequest): Failure | undefined {
  if (!hosts?.length || hostHolds(hosts, req)) return undefined;
  if (req.host === undefined) return { group: 'host', code: 'host-missing', get message() { return `the request has no Host header; the route needs one of ${list(hosts)}`; } };
  const host = req.host;
  if (hosts.some((h) => splitHostPort(h).port !== undefined && hostMatches(splitHostPort(h).host, host, req.port))) {
    return { group: 'host', code: 'host-port-mismatch', get message() { return `Host ${quote(host)} matches a route host but port ${req.port} is not the one it names (${list(hosts)})`; } };
  }
  if (hosts.some((h) => hostMatches(h.toLowerCase(), host.toLowerCase(), req.port))) {
    return { group: 'host', code: 'host-case', get message() { return `Host ${quote(host)} differs from the route hosts ${list(hosts)} only in case, and Kong compares hosts case-sensitively`; } };
  }
  if (hosts.some((h) => h.startsWith('*.') && host === splitHostPort(h).host.slice(2))) {
    return { group: 'host', code: 'host-wildcard-bare', get message() { return `Host ${quote(host)} is not matched by ${list(hosts)}: a wildcard host needs at least one label before the suffix`; } };
  }
  return { group: 'host', code: 'host-mismatch', get message() { return `Host ${quote(host)} is not one of the route hosts ${list(hosts)}`; } };
}

/** Kong's regex for a `~` path: `^` + the rest, `?<` rewritten to `?P<` (transform.lua `path_val_transform`). */
export function kongPathRegex(path: string): string {
  return `^${path.slice(1).replaceAll('?<', '?P<')}`;
}

export type PathKind = 'prefix' | 'kic-prefix' | 'kic-exact' | 'regex';

/**
 * How a path reads to a user. KIC writes an Ingress Prefix `/foo` as the pair `/foo/` + `~/foo$`, an
 * HTTPRoute PathPrefix `/foo/` as `~/foo/$` + `/foo/`, an Exact `/foo` as `~/foo$`; the pair is split into
 * two parts by Kong, so a part's path is read against all of its route's paths.
 */
export function pathKind(path: string, routePaths: readonly string[]): PathKind {
  if (!isRegexPath(path)) {
    const pair = routePaths.some((p) => isRegexPath(p) && (p === `~${path.replace(/\/$/, '')}$` || p === `~${path}$`));
    return pair ? 'kic-prefix' : 'prefix';
  }
  if (!path.endsWith('$')) return 'regex';
  const base = path.slice(1, -1);
  const pair = routePaths.some((p) => !isRegexPath(p) && (p === `${base}/` || p === base));
  return pair ? 'kic-prefix' : 'kic-exact';
}

/** Kong's compiled regex of each `~` path (kongPathRegex), kept: every request is tried against the same few paths. */
const pathRegexes = new Map<string, CompiledRegex>();

function pathRegex(path: string): CompiledRegex {
  let found = pathRegexes.get(path);
  if (!found) {
    found = compileRustRegex(kongPathRegex(path));
    if (pathRegexes.size > 100_000) pathRegexes.clear();
    pathRegexes.set(path, found);
  }
  return found;
}

/** The first of the part's paths a (normalised) request path matches (undefined: the part has none), or null when none does or can be evaluated. */
function matchedPath(part: RoutePart, path: string): string | null | undefined {
  const paths = part.paths;
  if (!paths?.length) return undefined;
  for (const p of paths) {
    if (!isRegexPath(p)) {
      if (path.startsWith(p)) return p;
      continue;
    }
    const compiled = pathRegex(p);
    if (compiled.ok && compiled.regex.test(path)) return p;
  }
  return null;
}

/** Whether the part's path group holds for a (normalised) request path: when it does not, no request with that path matches the part. */
export function pathGroupHolds(part: RoutePart, path: string): boolean {
  return matchedPath(part, path) !== null;
}

function pathResult(part: RoutePart, req: RouterRequest): { failure: Failure | undefined; matchedPath?: string } {
  const matched = matchedPath(part, req.path);
  if (matched === undefined) return { failure: undefined };
  if (matched !== null) return { failure: undefined, matchedPath: matched };
  const paths = part.paths!;
  const unevaluable: string[] = [];
  for (const p of paths) {
    const compiled = isRegexPath(p) ? pathRegex(p) : undefined;
    if (compiled && !compiled.ok) unevaluable.push(`${p}: ${compiled.reason}`);
  }
  if (unevaluable.length) return { failure: { group: 'path', code: 'unevaluable', get message() { return `path regex not evaluated (${unevaluable.join('; ')})`; } } };
  return { failure: pathFailure(paths, part.route.paths ?? paths, req) };
}

function pathFailure(paths: readonly string[], routePaths: readonly string[], req: RouterRequest): Failure {
  const shown = req.rawPath === req.path ? quote(req.path) : `${quote(req.path)} (normalised from ${quote(req.rawPath)})`;
  const kinds = paths.map((p) => pathKind(p, routePaths));
  if (kinds.every((k) => k === 'kic-prefix')) {
    const bases = paths.map((p) => (isRegexPath(p) ? p.slice(1, -1) : p.replace(/\/$/, '')));
    return { group: 'path', code: 'path-kic-prefix', get message() { return `path ${shown} is neither exactly ${list([...new Set(bases)])} nor under it with a "/" (KIC's Prefix is segment-aware: Kong gets ${list(routePaths)})`; } };
  }
  if (kinds.every((k) => k === 'kic-exact')) {
    return { group: 'path', code: 'path-kic-exact', get message() { return `path ${shown} is not exactly ${list(paths.map((p) => p.slice(1, -1)))} (an Exact path is the regex ${list(paths.map(kongPathRegex))}; its value is not escaped)`; } };
  }
  if (kinds.every((k) => k === 'prefix')) {
    return { group: 'path', code: 'path-not-prefix', get message() { return `path ${shown} does not start with ${list(paths)} (a plain Kong path is a string prefix)`; } };
  }
  return { group: 'path', code: 'path-regex', get message() { return `path ${shown} is not matched by ${list(paths.map((p) => (isRegexPath(p) ? kongPathRegex(p) : p)))} (regexes are anchored at the start only)`; } };
}

function headerFailure(headers: Readonly<Record<string, readonly string[]>> | undefined, req: RouterRequest): Failure | undefined {
  for (const [name, accepted] of Object.entries(headers ?? {})) {
    const values = req.headers.get(headerField(name));
    if (!values?.length) return { group: 'header', code: 'header-missing', get message() { return `header ${name} is missing; the route needs one of ${list(accepted)}`; } };
    const lowered = values.map((v) => v.toLowerCase());
    let matched = false;
    for (const want of accepted) {
      if (want.startsWith('~*')) {
        // Kong lower-cases the regex text itself (`\S` becomes `\s`), then matches it unanchored.
        const compiled = compileRustRegex(want.slice(2).toLowerCase());
        if (!compiled.ok) return { group: 'header', code: 'unevaluable', get message() { return `header ${name} regex not evaluated (${compiled.reason})`; } };
        if (lowered.some((v) => compiled.regex.test(v))) matched = true;
      } else if (lowered.includes(want.toLowerCase())) matched = true;
      if (matched) break;
    }
    if (!matched) return { group: 'header', code: 'header-mismatch', get message() { return `header ${name} is ${list(values)}, not one of ${list(accepted)} (compared case-insensitively)`; } };
  }
  return undefined;
}

/** The expressions flavour's protocol predicate (expressions.lua `get_expression`), grpc read as http. */
export function protocolFailure(protocols: readonly string[] | undefined, req: RouterRequest): Failure | undefined {
  if (!protocols?.length) return undefined;
  if (protocols.length === 1 && ['https', 'tls', 'tls_passthrough'].includes(protocols[0]!)) return undefined;
  const mapped = protocols.map((p) => (p === 'grpc' ? 'http' : p === 'grpcs' ? 'https' : p));
  if (mapped.includes(req.scheme)) return undefined;
  return { group: 'protocol', code: 'protocol-mismatch', get message() { return `the request is ${req.scheme}; the route's protocols are ${list(protocols)}`; } };
}
