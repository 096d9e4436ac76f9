// The priority Kong 3.x gives a traditional route (traditional_compatible flavour, and traditional-field
// routes in the expressions flavour): kong/router/transform.lua `get_priority`.
//
// What Kong meant (the layout comment above `get_priority`, and the docs): match weight in bits 61-63, "only
// plain hosts" bit 60, header count bits 52-59, regex bit 51, regex_priority from bit 19, plain path length
// bits 0-18. What Kong does: its `lshift_uint64` helper assigns the value to a local instead of filling the
// uint64 cdata, so `bit.lshift` receives a plain Lua number and LuaJIT shifts it as an int32 by (count mod 32).
// Match weight lands in bits 29-31, header count in bits 20-27 and regex_priority in bits 19-31, OR-ed
// together; only the plain-host (60) and regex (51) constants, built from real uint64 values, sit where
// intended. A part that comes out negative as an int32 (match weight ≥ 4, regex_priority < 0, or
// regex_priority mod 8192 ≥ 4096) sets bit 63 once converted to uint64; the exact low bits of such a value
// differ between LuaJIT's interpreter and its JIT, so the order among those routes is not knowable offline.
// This is the behaviour behind Kong/kong#14457 (headers invert regex_priority), present since Kong 3.0.
import { isRegexPath, type RoutePart } from './route.ts';

export interface CompatPriorityInputs {
  /** Non-empty fields among sources, destinations, methods, hosts, headers, snis, paths. */
  readonly matchWeight: number;
  readonly headerCount: number;
  /** Hosts present and none contains `*`. */
  readonly plainHostsOnly: boolean;
  readonly regex: boolean;
  /** regex_priority as Kong uses it: the route's value for a regex part, else 0. */
  readonly regexPriority: number;
  /** Byte length of the part's plain paths (all equal after the split); 0 for regex or no path. */
  readonly pathLength: number;
}

export interface CompatPriority {
  readonly inputs: CompatPriorityInputs;
  /** Bit 63 set: outranks every other traditional route; order among such routes is Kong-internal. */
  readonly topBand: boolean;
  /** The uint64 Kong orders by; for the top band only bit 63 is certain. */
  readonly value: bigint;
  /** The int32 pieces OR-ed into bits 0-31, to say which input set a bit. */
  readonly pieces: { readonly matchWeight: bigint; readonly headerCount: bigint; readonly regexPriority: bigint; readonly pathLength: bigint };
  /** What the documented layout gives, for a note when it disagrees. */
  readonly documented: bigint;
}

export const PLAIN_HOSTS_BIT = 1n << 60n;
export const REGEX_BIT = 1n << 51n;
export const TOP_BAND = 1n << 63n;
const MAX_HEADER_COUNT = 255;

/** `bit.lshift(n, k)` on a Lua number: `tobit(n) << (k mod 32)` as an int32. */
export function luaLshift32(n: number, k: number): bigint {
  return BigInt.asIntN(32, BigInt.asIntN(32, BigInt(Math.trunc(n))) << BigInt(k & 31));
}

function nonEmpty(list: readonly unknown[] | undefined): boolean {
  return list !== undefined && list.length > 0;
}

export function compatPriorityInputs(part: RoutePart): CompatPriorityInputs {
  const r = part.route;
  const headerNames = Object.keys(r.headers ?? {}).length;
  const paths = part.paths ?? [];
  const regex = paths.length > 0 && isRegexPath(paths[0]!);
  const matchWeight = [r.methods, r.hosts, r.snis, paths].filter(nonEmpty).length + (headerNames > 0 ? 1 : 0);
  return {
    matchWeight,
    headerCount: Math.min(headerNames, MAX_HEADER_COUNT),
    // `type(hosts) == "table"`: an empty hosts array still counts as "only plain hosts".
    plainHostsOnly: r.hosts !== undefined && r.hosts.every((h) => !h.includes('*')),
    regex,
    regexPriority: regex ? (r.regexPriority ?? 0) : 0,
    pathLength: regex || paths.length === 0 ? 0 : Buffer.byteLength(paths[0]!),
  };
}

export function compatPriority(part: RoutePart): CompatPriority {
  const inputs = compatPriorityInputs(part);
  const pieces = {
    matchWeight: luaLshift32(inputs.matchWeight, 61),
    headerCount: luaLshift32(inputs.headerCount, 52),
    regexPriority: luaLshift32(inputs.regexPriority, 19),
    pathLength: BigInt(inputs.pathLength & 0x7ffff),
  };
  const flags = (inputs.plainHostsOnly ? PLAIN_HOSTS_BIT : 0n) | (inputs.regex ? REGEX_BIT : 0n);
  const topBand = pieces.matchWeight < 0n || pieces.headerCount < 0n || pieces.regexPriority < 0n;
  const value = topBand ? TOP_BAND : flags | pieces.matchWeight | pieces.headerCount | pieces.regexPriority | pieces.pathLength;
  const documented = BigInt.asUintN(
    64,
    (BigInt(inputs.matchWeight) << 61n) | flags | (BigInt(inputs.headerCount) << 52n) | (BigInt.asUintN(32, BigInt(inputs.regexPriority)) << 19n) | pieces.pathLength,
  );
  return { inputs, topBand, value, pieces, documented };
}

export type CompatComponent = 'top-band' | 'plain-hosts' | 'regex' | 'match-weight' | 'header-count' | 'regex-priority' | 'path-length';

/**
 * Which component of the winner's priority decides against the loser: the highest bit where they differ,
 * named by the input that set it in the winner (when several inputs share that bit, as Kong's int32 shifts
 * make them, all are named). Undefined when the values are equal (then the route ID decides).
 */
export function compatDecidingComponent(winner: CompatPriority, loser: CompatPriority): { component: CompatComponent; sharedWith: CompatComponent[]; bit: number } | undefined {
  if (winner.topBand !== loser.topBand) return { component: 'top-band', sharedWith: [], bit: 63 };
  if (winner.value === loser.value) return undefined;
  const diff = winner.value ^ loser.value;
  const bit = diff.toString(2).length - 1;
  if (bit === 60) return { component: 'plain-hosts', sharedWith: [], bit };
  if (bit === 51) return { component: 'regex', sharedWith: [], bit };
  const mask = 1n << BigInt(bit);
  const setters = (p: CompatPriority) =>
    (
      [
        ['match-weight', p.pieces.matchWeight],
        ['header-count', p.pieces.headerCount],
        ['regex-priority', p.pieces.regexPriority],
        ['path-length', p.pieces.pathLength],
      ] as const
    )
      .filter(([, piece]) => (BigInt.asUintN(32, piece) & mask) !== 0n)
      .map(([name]) => name as CompatComponent);
  const names = setters(winner);
  return { component: names[0] ?? 'path-length', sharedWith: names.slice(1), bit };
}
