// The routes the router takes: Kong route entities as KIC would send them, with what the router needs and
// nothing of Kubernetes (the translator maps its objects onto this; `provenance` carries them through).
//
// Before Kong builds its router, a route whose `paths` fall into several groups is split: one part for all
// regex paths, one per distinct length of plain path, in order of first appearance; each part keeps every
// other field and gets its own ID and priority (kong/router/transform.lua `group_by_regex_or_length`,
// `split_routes_and_services_by_path`; an expression route is never split). Matching and priority work on
// parts.
import { splitPartId } from './route-id.ts';

export type RouterFlavor = 'traditional_compatible' | 'expressions';

export interface RouterRoute<P = unknown> {
  /** Kong route ID (KIC: `kicRouteId(name)`); decides ties between equal priorities. */
  readonly id: string;
  readonly name: string;
  /** Kept for the report: Kong's ATC router never orders by it (only the old `traditional` router did). */
  readonly createdAt?: number;
  /** `h`, `h:port`, `*.suffix`, `prefix.*` */
  readonly hosts?: readonly string[];
  /** plain prefixes and `~regex` */
  readonly paths?: readonly string[];
  readonly methods?: readonly string[];
  /** header name -> accepted values; a value `~*re` is a regex */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  readonly snis?: readonly string[];
  readonly protocols?: readonly string[];
  readonly regexPriority?: number;
  /** Not part of matching (Kong strips the matched text upstream); carried for the report. */
  readonly stripPath?: boolean;
  /** 426 when absent; 301/302/307/308 redirect http to https on an https-only route. */
  readonly httpsRedirectStatusCode?: number;
  /** Expressions flavour: an ATC expression and its priority (0 … 2^46-1), KIC-computed. */
  readonly expression?: string;
  readonly priority?: number | bigint;
  /** Whatever the caller needs to name the objects behind this route; never read here. */
  readonly provenance?: P;
}

/** One route as Kong's router holds it: the route, or one path group of it. */
export interface RoutePart<P = unknown> {
  readonly route: RouterRoute<P>;
  /** The ID the router keys this part by (the route's own ID when it is not split). */
  readonly id: string;
  /** This part's paths (all regex, or all plain of one length); the route's paths when not split. */
  readonly paths: readonly string[] | undefined;
  /** 1-based group index when the route was split, else undefined. */
  readonly group: number | undefined;
}

export function isRegexPath(path: string): boolean {
  return path.startsWith('~');
}

/**
 * The text every request path a Kong path matches starts with: a plain path is a string prefix; a regex (anchored at
 * the start) contributes its literal characters up to the first metacharacter, less one before `?`, `*` or `{`
 * (that one may be absent); an alternation anywhere gives ''.
 */
export function pathStart(path: string): string {
  if (!isRegexPath(path)) return path;
  const re = path.slice(1);
  if (re.includes('|')) return '';
  let out = '';
  for (let i = re.startsWith('^') ? 1 : 0; i < re.length; i++) {
    const c = re[i]!;
    if ('?*{'.includes(c)) return out.slice(0, -1);
    if ('\\.^$()[]+'.includes(c)) return out;
    out += c;
  }
  return out;
}

function isEmpty(list: readonly unknown[] | undefined): boolean {
  return list === undefined || list.length === 0;
}

/** Routes are immutable: their parts (and the parts' v5 IDs, SHA-1 each) are computed once per route object. */
const partsOf = new WeakMap<RouterRoute<unknown>, RoutePart<unknown>[]>();

/** The parts Kong builds from a route (transform.lua `split_routes_and_services_by_path`). */
export function splitRoute<P>(route: RouterRoute<P>): RoutePart<P>[] {
  let parts = partsOf.get(route) as RoutePart<P>[] | undefined;
  if (!parts) {
    parts = split(route);
    partsOf.set(route, parts);
  }
  return parts;
}

function split<P>(route: RouterRoute<P>): RoutePart<P>[] {
  const paths = route.paths;
  if (route.expression !== undefined || paths === undefined || paths.length <= 1) {
    return [{ route, id: route.id, paths: isEmpty(paths) ? undefined : paths, group: undefined }];
  }
  const groups: string[][] = [];
  const groupOf = new Map<number, number>(); // key: -1 for regex, else the plain path length
  for (const path of paths) {
    const key = isRegexPath(path) ? -1 : Buffer.byteLength(path); // Lua's # counts bytes
    const at = groupOf.get(key);
    if (at === undefined) {
      groupOf.set(key, groups.length);
      groups.push([path]);
    } else groups[at]!.push(path);
  }
  if (groups.length === 1) return [{ route, id: route.id, paths, group: undefined }];
  return groups.map((group, i) => ({ route, id: splitPartId(route.id, i + 1), paths: group, group: i + 1 }));
}
