// The state KIC translates under its Fallback Configuration (internal/dataplane/fallback/fallback.go), for
// `translate --fallback`: GenerateExcludingBrokenObjects deletes every broken object and its dependants from a
// snapshot of the cache; GenerateBackfillingBrokenObjects (--use-last-valid-config-for-fallback) then adds, for each
// object so deleted, that object and its dependants as the last valid cache snapshot holds them (SubgraphObjects
// over the last valid graph: an object the snapshot lacks adds nothing; one it holds replaces the current version).
import { excludedBy } from '../graph/fallback.ts';
import { keyOf, refKey } from '../model/object.ts';
import { Store } from '../state/store.ts';
import type { Policy } from './policy.ts';
import { ProblemTracker } from './problems.ts';

export interface FallbackState {
  /** The objects KIC would translate. */
  store: Store;
  /** Keys of the objects Kong would reject (findings that break: finding.ts `breaks`). */
  broken: string[];
  /** Every excluded key, with the broken keys causing it. */
  excluded: Map<string, Set<string>>;
  /** Every backfilled key, with the excluded keys whose last valid subgraph brings it back. */
  backfilled: Map<string, Set<string>>;
}

/** The broken objects of a state, as the problems report counts them: the objects Kong's errors would point at. */
export function brokenKeys(store: Store, policy: Policy): string[] {
  const keys = new ProblemTracker(store, policy).allFindings().filter((f) => f.breaks).map((f) => refKey(f.broken));
  return [...new Set(keys)].filter((k) => store.get(k) !== undefined).sort();
}

export function fallbackState(current: Store, policy: Policy, lastValid?: Store): FallbackState {
  const broken = brokenKeys(current, policy);
  const excluded = excludedBy(current, broken);
  const store = new Store([...current.all()].filter((o) => !excluded.has(keyOf(o))));
  const backfilled = lastValid ? excludedBy(lastValid, excluded.keys()) : new Map<string, Set<string>>();
  for (const key of backfilled.keys()) store.upsert(lastValid!.get(key)!);
  return { store, broken, excluded, backfilled };
}
