// A part's priority in the router Kong builds, and why one part outranks another.
//
// Final selection (every flavour runs on atc-router): the matchers sit in a BTreeMap keyed by
// (priority, route UUID) and are tried from the greatest key down (atc-router src/router.rs `MatcherKey`,
// `try_match`); the first whose expression holds wins. Equal priorities are therefore decided by the greater
// UUID, compared as bytes, which for canonical lower-case UUIDs is string order. Not by created_at (only the
// old `traditional` router used it) and not by rule order.
import {
  compatDecidingComponent,
  compatPriority,
  type CompatComponent,
  type CompatPriority,
} from './compat-priority.ts';
import { EXPRESSION_ROUTE_BITS, kicDecidingField } from './kic-priority.ts';
import type { RoutePart } from './route.ts';

/**
 * `computed`: what Kong 3.x really orders by (the default everywhere). `documented`: the layout Kong documents for
 * traditional_compatible (match weight, plain hosts, headers, regex, regex_priority, path length, each in its
 * own bits); Kong does not compute it (compat-priority.ts), so it answers "what did the docs promise".
 */
export type PriorityModel = 'computed' | 'documented';

export type PartPriority =
  | { readonly kind: 'traditional'; readonly value: bigint; readonly compat: CompatPriority; readonly model?: 'documented' }
  /** `raw` is route.priority; `value` = 0xFF<<56 | raw (transform.lua `get_priority`). */
  | { readonly kind: 'expression'; readonly value: bigint; readonly raw: bigint };

/** Parts are immutable (route.ts keeps one set per route): each one's priority is computed once. */
const priorities = new WeakMap<RoutePart, PartPriority>();

const documentedPriorities = new WeakMap<RoutePart, PartPriority>();

export function partPriority(part: RoutePart, model: PriorityModel = 'computed'): PartPriority {
  const cache = model === 'documented' ? documentedPriorities : priorities;
  let found = cache.get(part);
  if (!found) {
    found = model === 'documented' ? documentedPriority(partPriority(part)) : computePriority(part);
    cache.set(part, found);
  }
  return found;
}

/** The documented layout has no overflow, hence no top band (undeterminedPair looks at the model); expression routes keep their priority. */
function documentedPriority(p: PartPriority): PartPriority {
  if (p.kind !== 'traditional') return p;
  // compat stays Kong's computed priority: the explanation says when Kong itself would order the two otherwise.
  return { kind: 'traditional', value: p.compat.documented, compat: p.compat, model: 'documented' };
}

function computePriority(part: RoutePart): PartPriority {
  const r = part.route;
  if (r.expression !== undefined) {
    // Kong's schema takes an integer 0 … 2^46-1; anything else would be rejected before reaching the router.
    const raw = typeof r.priority === 'bigint' ? r.priority : BigInt(Math.trunc(Number.isFinite(r.priority) ? (r.priority ?? 0) : 0));
    return { kind: 'expression', value: EXPRESSION_ROUTE_BITS | raw, raw };
  }
  const compat = compatPriority(part);
  return { kind: 'traditional', value: compat.value, compat };
}

/** Kong's order: greater priority first, then the greater route ID. Negative when `a` is tried first. */
export function kongOrder(a: { priority: PartPriority; part: RoutePart }, b: { priority: PartPriority; part: RoutePart }): number {
  if (a.priority.value !== b.priority.value) return a.priority.value > b.priority.value ? -1 : 1;
  // atc-router compares the parsed UUIDs' bytes: lower-case hex order, whatever case the ID was written in.
  const ia = a.part.id.toLowerCase();
  const ib = b.part.id.toLowerCase();
  return ia === ib ? 0 : ia > ib ? -1 : 1;
}

/** Two parts whose order Kong does not fix: both in the traditional top band (see compat-priority.ts). */
export function undeterminedPair(a: PartPriority, b: PartPriority): boolean {
  return a.kind === 'traditional' && b.kind === 'traditional' && a.model === undefined && b.model === undefined && a.compat.topBand && b.compat.topBand;
}

export interface WinReason {
  /** Which priority component decided, or `route-id` for a tie, or `undetermined`. */
  readonly component: CompatComponent | 'expression-over-traditional' | 'kic-priority' | 'route-id' | 'undetermined';
  readonly message: string;
  /** Kong's documented traditional order would pick the loser (Kong computes otherwise; Kong/kong#14457). */
  readonly documentedOrderDisagrees: boolean;
}

/** A priority as Kong's 64-bit value, in hex. */
export const hex = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;

/** Why `winner` is tried before `loser` (both match the request). */
export function whyWins(winner: { priority: PartPriority; part: RoutePart }, loser: { priority: PartPriority; part: RoutePart }): WinReason {
  const w = winner.priority;
  const l = loser.priority;
  if (undeterminedPair(w, l)) {
    return {
      component: 'undetermined',
      message:
        "both are in Kong's top priority band (match weight of 4 or more, or regex_priority below 0 or of 4096 and more, overflow Kong's 32-bit shifts); their order differs between LuaJIT's interpreter and its JIT, so Kong does not fix it",
      documentedOrderDisagrees: false,
    };
  }
  if (w.value === l.value) {
    return {
      component: 'route-id',
      message: `same priority ${hex(w.value)}; the tie is broken by route ID: Kong tries the greater ID first (${winner.part.id} > ${loser.part.id}), not the older object or the rule order, so renaming either object can flip this`,
      documentedOrderDisagrees: false,
    };
  }
  if (w.kind !== l.kind) {
    return {
      component: 'expression-over-traditional',
      message: w.kind === 'expression' ? 'an expression route (priority 0xFF<<56 | its priority) outranks every traditional route' : 'an expression route always outranks a traditional route',
      documentedOrderDisagrees: false,
    };
  }
  if (w.kind === 'expression' && l.kind === 'expression') {
    const field = kicDecidingField(w.raw, l.raw);
    return { component: 'kic-priority', message: `higher priority (${w.raw} > ${l.raw}); in KIC's layout: ${field ?? 'equal'}`, documentedOrderDisagrees: false };
  }
  if (w.kind !== 'traditional' || l.kind !== 'traditional') throw new Error('unreachable');
  if (w.model === 'documented') return documentedWhy(w.compat, l.compat);
  const decided = compatDecidingComponent(w.compat, l.compat)!;
  const wi = w.compat.inputs;
  const li = l.compat.inputs;
  const documentedOrderDisagrees = l.compat.documented > w.compat.documented;
  const messages: Record<CompatComponent, string> = {
    'top-band': `its priority is in Kong's top band (match weight ${wi.matchWeight}, regex_priority ${wi.regexPriority}: Kong's 32-bit shift overflows and sets bit 63), above every ordinary traditional route`,
    'plain-hosts': 'it has only plain (non-wildcard) hosts and the other does not (bit 60), which in Kong 3.x outranks matched-field count, headers and paths',
    regex: 'it has a regex path and the other a plain one (bit 51), which in Kong 3.x outranks matched-field count and headers',
    'match-weight': `it matches on more fields (${wi.matchWeight} vs ${li.matchWeight})`,
    'header-count': `it matches on more headers (${wi.headerCount} vs ${li.headerCount})`,
    'regex-priority': `higher regex_priority (${wi.regexPriority} vs ${li.regexPriority})`,
    'path-length': `longer plain path (${wi.pathLength} vs ${li.pathLength} bytes)`,
  };
  const inputOf: Partial<Record<CompatComponent, [number, number]>> = {
    'match-weight': [wi.matchWeight, li.matchWeight],
    'header-count': [wi.headerCount, li.headerCount],
    'regex-priority': [wi.regexPriority, li.regexPriority],
    'path-length': [wi.pathLength, li.pathLength],
  };
  const pair = inputOf[decided.component];
  let message = messages[decided.component];
  if (pair && (pair[0] <= pair[1] || decided.sharedWith.length)) {
    // The bit that decides is not the plain reading of the inputs: Kong's int32 shifts overlap them.
    message =
      `Kong 3.x ORs match weight, header count and regex_priority into one 32-bit word (its shifts wrap), and there ` +
      `its ${[decided.component, ...decided.sharedWith].join(' and ')} (${pair[0]} vs ${pair[1]}) set bit ${decided.bit}, which the other's inputs do not ` +
      `(match weight ${wi.matchWeight}/${li.matchWeight}, headers ${wi.headerCount}/${li.headerCount}, regex_priority ${wi.regexPriority}/${li.regexPriority})`;
  }
  if (documentedOrderDisagrees) {
    message += "; Kong's documented order would pick the other route, but Kong 3.x computes priorities with 32-bit shifts (Kong/kong#14457)";
  }
  return { component: decided.component, message, documentedOrderDisagrees };
}

/** Why the documented layout ranks `w` over `l`: its fields in order of significance, each in bits of its own. */
function documentedWhy(w: CompatPriority, l: CompatPriority): WinReason {
  const [wi, li] = [w.inputs, l.inputs];
  const steps: [CompatComponent, number, number, string][] = [
    ['match-weight', wi.matchWeight, li.matchWeight, `it matches on more fields (${wi.matchWeight} vs ${li.matchWeight})`],
    ['plain-hosts', Number(wi.plainHostsOnly), Number(li.plainHostsOnly), 'it has only plain (non-wildcard) hosts and the other does not'],
    ['header-count', wi.headerCount, li.headerCount, `it matches on more headers (${wi.headerCount} vs ${li.headerCount})`],
    ['regex', Number(wi.regex), Number(li.regex), 'it has a regex path and the other a plain one'],
    ['regex-priority', wi.regexPriority, li.regexPriority, `higher regex_priority (${wi.regexPriority} vs ${li.regexPriority})`],
    ['path-length', wi.pathLength, li.pathLength, `longer plain path (${wi.pathLength} vs ${li.pathLength} bytes)`],
  ];
  // Kong's own (computed) order disagrees when it would try the loser first.
  const kongDisagrees = l.topBand !== w.topBand ? l.topBand : l.value > w.value;
  const note = kongDisagrees ? "; Kong 3.x computes priorities otherwise and picks the other route (Kong/kong#14457)" : '';
  const step = steps.find(([, a, b]) => a !== b);
  if (!step) {
    return { component: 'route-id', message: `same documented priority ${hex(w.documented)}; the tie is broken by route ID, so renaming either object can flip this${note}`, documentedOrderDisagrees: false };
  }
  return { component: step[0], message: `in Kong's documented order, ${step[3]}${note}`, documentedOrderDisagrees: false };
}
