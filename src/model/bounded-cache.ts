// A Map kept as a cache of at most `limit` entries, the oldest dropped first, for pure functions of their key
// (verdicts, IDs, parsed facts) that reviews ask again and again with the same inputs.

/** `cache`'s value for `key`, computed (and kept) on a miss; `undefined` is a value like any other. */
export function remembered<V>(cache: Map<string, V>, limit: number, key: string, compute: () => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  const value = compute();
  if (cache.size >= limit) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}
