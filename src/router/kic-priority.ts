// KIC's priorities for expression routes (router_flavor = expressions). Kong orders an expression route by
// `0xFF << 56 | route.priority` (transform.lua `get_priority`), so KIC's number alone decides among KIC's
// routes. KIC 3.5 encodes it per source kind (internal/dataplane/translator/subtranslator):
// - bits 44-45: the kind (atc_utils.go): 3 Ingress, 2 HTTPRoute, 1 GRPCRoute; so every Ingress route outranks
//   every HTTPRoute route, whatever their paths;
// - Ingress (ingress_atc.go `IngressRoutePriorityTraits.EncodeToPriority`): match fields << 41, header count
//   << 33 (max 255), plain hosts only << 32, regex path << 16, max path length (max 65535);
//   the default backend route gets 0 (`IngressDefaultBackendPriority`);
// - HTTPRoute (httproute_atc.go `HTTPRoutePriorityTraits.EncodeToPriority`): precise hostname << 43, hostname
//   length << 35, Exact << 34, RegularExpression << 33, (path length - 1) << 23, method << 22, header count
//   << 17, query count << 12, then the low 12 bits: 4095 for a unique priority, otherwise 4095, 4094, …
//   (never below 0) in order of creation, namespace, name, rule and match.
// The encoders below let the translator compute these numbers; the layouts let the router say which field
// of two KIC priorities decided.

export const EXPRESSION_ROUTE_BITS = 0xffn << 56n;
const KIND_SHIFT = 44n;

export interface IngressPriorityTraits {
  /** paths, hosts (rule host or host-aliases), konghq.com/headers.*, konghq.com/methods, konghq.com/snis: how many are set */
  readonly matchFields: number;
  readonly headerCount: number;
  readonly plainHostsOnly: boolean;
  readonly hasRegexPath: boolean;
  readonly maxPathLength: number;
}

export function ingressExpressionPriority(t: IngressPriorityTraits): bigint {
  return (
    (3n << KIND_SHIFT) +
    (BigInt(t.matchFields) << 41n) +
    (BigInt(Math.min(t.headerCount, 255)) << 33n) +
    (t.plainHostsOnly ? 1n << 32n : 0n) +
    (t.hasRegexPath ? 1n << 16n : 0n) +
    BigInt(Math.min(t.maxPathLength, 65535))
  );
}

export interface HTTPRoutePriorityTraits {
  readonly preciseHostname: boolean;
  readonly hostnameLength: number;
  readonly pathType: 'Exact' | 'PathPrefix' | 'RegularExpression' | undefined;
  readonly pathLength: number;
  readonly hasMethodMatch: boolean;
  readonly headerCount: number;
  readonly queryParamCount: number;
  /** 4095 when the rest of the priority is unique; 4094, … for later ties (oldest first). */
  readonly relativeOrder: number;
}

export function httpRouteExpressionPriority(t: HTTPRoutePriorityTraits): bigint {
  return (
    (2n << KIND_SHIFT) +
    (t.preciseHostname ? 1n << 43n : 0n) +
    (BigInt(t.hostnameLength) << 35n) +
    (t.pathType === 'Exact' ? 1n << 34n : 0n) +
    (t.pathType === 'RegularExpression' ? 1n << 33n : 0n) +
    (t.pathLength > 0 ? BigInt(t.pathLength - 1) << 23n : 0n) +
    (t.hasMethodMatch ? 1n << 22n : 0n) +
    (BigInt(t.headerCount) << 17n) +
    (BigInt(t.queryParamCount) << 12n) +
    BigInt(t.relativeOrder)
  );
}

/** A named bit range of a KIC priority, highest first. */
interface Field {
  readonly name: string;
  readonly low: number;
  readonly high: number;
}

const INGRESS_FIELDS: readonly Field[] = [
  { name: 'match fields (paths, hosts, headers, methods, SNIs)', low: 41, high: 43 },
  { name: 'header count', low: 33, high: 40 },
  { name: 'only plain hosts', low: 32, high: 32 },
  { name: 'regex path (KIC writes Exact and Prefix as regexes)', low: 16, high: 16 },
  { name: 'longest path', low: 0, high: 15 },
];
const HTTPROUTE_FIELDS: readonly Field[] = [
  { name: 'precise (non-wildcard) hostname', low: 43, high: 43 },
  { name: 'hostname length', low: 35, high: 42 },
  { name: 'Exact path', low: 34, high: 34 },
  { name: 'RegularExpression path', low: 33, high: 33 },
  { name: 'path length', low: 23, high: 32 },
  { name: 'method match', low: 22, high: 22 },
  { name: 'header count', low: 17, high: 21 },
  { name: 'query parameter count', low: 12, high: 16 },
  { name: 'relative order (older, then namespace/name, rule, match)', low: 0, high: 11 },
];

export type KicKind = 'Ingress' | 'HTTPRoute' | 'GRPCRoute' | 'default backend' | 'unknown';

export function kicKindOf(priority: bigint): KicKind {
  if (priority === 0n) return 'default backend';
  const kind = (priority >> KIND_SHIFT) & 3n;
  return kind === 3n ? 'Ingress' : kind === 2n ? 'HTTPRoute' : kind === 1n ? 'GRPCRoute' : 'unknown';
}

/** The field of KIC's layout in which two expression priorities (route.priority, without 0xFF<<56) first differ. */
export function kicDecidingField(winner: bigint, loser: bigint): string | undefined {
  if (winner === loser) return undefined;
  const kw = kicKindOf(winner);
  const kl = kicKindOf(loser);
  if (kw !== kl || winner >> 46n !== loser >> 46n) {
    if (kl === 'default backend') return 'the Ingress default backend has priority 0 and loses to every other route';
    return `kind: ${kw} routes outrank ${kl} routes in KIC's expression priorities (bits 44-45)`;
  }
  const diff = winner ^ loser;
  const bit = diff.toString(2).length - 1;
  const fields = kw === 'Ingress' ? INGRESS_FIELDS : kw === 'HTTPRoute' ? HTTPROUTE_FIELDS : []; // GRPCRoute: own layout, not modelled
  const field = fields.find((f) => bit >= f.low && bit <= f.high);
  if (!field) return `priority bit ${bit}`;
  const value = (p: bigint) => (p >> BigInt(field.low)) & ((1n << BigInt(field.high - field.low + 1)) - 1n);
  return `${field.name}: ${value(winner)} > ${value(loser)}`;
}
