// One flat copy of a string that many long-lived maps hold (object keys, read tokens, index entries).
//
// Keys and tokens are built by concatenation (`${group}/${kind}:${namespace}/${name}`, `o ${key}`), which V8
// keeps as a tree of cons strings: about 190 bytes for a 30-character read kept as a map key against 85
// once flat. Making a string a property name internalizes it: V8 keeps one flat copy per content and turns
// the tree into a reference to it, which the garbage collector then skips (so copies held elsewhere, such as
// model/object.ts's cache of keyOf, shrink too).

/** The internalized (flat, shared) copy of `s`. Costs a string-table look-up: for what is kept, not for every read. */
export function intern(s: string): string {
  for (const key in { [s]: 0 }) return key;
  return s;
}
