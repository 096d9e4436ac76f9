// The live translation keeps every Kong service and route it builds for as long as their object is unchanged
// (memo.ts LiveMemo): at 50k objects, tens of thousands of each. As built, their names and paths are trees of V8
// cons strings (template literals), every route and service has its own `sources` array, and every empty list is
// an array of its own. Compacted, they hold flat interned strings shared with every other holder, one frozen
// `sources` array per translation and one frozen empty array. Memoised values are never mutated once returned
// (Translator.cached), so the frozen arrays only make a mistake throw instead of corrupting a shared value.
import { refKey, type ObjectRef } from '../model/object.ts';
import { intern } from '../state/intern.ts';
import type { KongRoute, KongService } from './kong.ts';

/** The one empty list of memoised values. */
export const EMPTY: readonly never[] = Object.freeze([]);

/** `list`, or the shared empty one; its strings interned in place (the same content: a holder sharing it sees no change). */
function strings(list: string[]): string[] {
  if (!list.length) return EMPTY as never[];
  for (let i = 0; i < list.length; i++) list[i] = intern(list[i]!);
  return list;
}

/** One frozen `sources` array per distinct reference list: the entities of one translation share it. */
function sharedSources(): (sources: ObjectRef[]) => ObjectRef[] {
  const byKey = new Map<string, ObjectRef[]>();
  return (sources) => {
    if (!sources.length) return EMPTY as never[];
    if (sources.length > 1) return sources;
    const key = refKey(sources[0]!);
    const found = byKey.get(key);
    if (found) return found;
    const frozen = Object.freeze([sources[0]!]) as ObjectRef[];
    byKey.set(key, frozen);
    return frozen;
  };
}

/**
 * The services and routes of one translation, compacted in place (they are fresh: withAnnotations copied the
 * routes, and the services are not held by anything else yet).
 */
export function compactTranslation(services: KongService[], routes: KongRoute[]): void {
  const sources = sharedSources();
  for (const s of services) {
    s.name = intern(s.name);
    s.host = intern(s.host);
    s.sources = sources(s.sources);
  }
  for (const r of routes) {
    r.id = intern(r.id);
    r.name = intern(r.name);
    r.service = intern(r.service);
    r.field = intern(r.field);
    r.hosts = strings(r.hosts);
    r.paths = strings(r.paths);
    r.methods = strings(r.methods);
    if (r.protocols) r.protocols = strings(r.protocols);
    if (r.snis) r.snis = strings(r.snis);
    if (r.namedRules) r.namedRules = strings(r.namedRules);
    if (r.expression !== undefined) r.expression = intern(r.expression);
    r.sources = sources(r.sources);
  }
}
