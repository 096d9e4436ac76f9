// One flat copy of a string that many long-lived maps hold (object keys, read tokens, index entries).
//
// Keys and tokens are built by concatenation (`${group}/${kind}:${namespace}/${name}`, `o ${key}`), which V8
// keeps as a tree of cons strings: about 190 bytes for a 30-character read kept as a map key against 85
// once flat. Making a string a property name internalizes it: V8 keeps one flat copy per content and turns
// the tree into a reference to it, which the garbage collector then skips (so copies held elsewhere, such as
// model/object.ts's cache of keyOf, shrink too).

/**
 * An object in dictionary mode (a property was deleted), holding at most one property between calls: a fresh
 * `{ [s]: 0 }` per call would add a hidden-class transition per distinct string to the empty literal's map.
 */
const HOLDER: Record<string, number> = Object.create(null) as Record<string, number>;
HOLDER.x = 0;
delete HOLDER.x;

/** The internalized (flat, shared) copy of `s`. Costs a string-table look-up: for what is kept, not for every read. */
export function intern(s: string): string {
  HOLDER[s] = 0;
  for (const key in HOLDER) {
    delete HOLDER[key];
    return key;
  }
  return s;
}
