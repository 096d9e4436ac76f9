// KIC's Fallback Configuration over KIC's own dependency graph (model/dependencies.ts, inKicGraph): a broken
// object takes every transitive dependant down with it (fallback.go, SubgraphObjects).
import { keyOf } from '../model/object.ts';
import type { StateView } from '../state/view.ts';

/** Every object excluded by these broken objects (themselves included), with the broken keys causing it. */
export function excludedBy(view: StateView, brokenKeys: Iterable<string>): Map<string, Set<string>> {
  const excluded = new Map<string, Set<string>>();
  for (const cause of brokenKeys) {
    if (!view.get(cause)) continue;
    const stack = [cause];
    const seen = new Set<string>();
    while (stack.length) {
      const key = stack.pop()!;
      if (seen.has(key)) continue;
      seen.add(key);
      let causes = excluded.get(key);
      if (!causes) excluded.set(key, (causes = new Set()));
      causes.add(cause);
      for (const dependant of view.lookup('fallbackDependants', key)) stack.push(keyOf(dependant));
    }
  }
  return excluded;
}
