// The last valid version of every object (what KIC's CONTROLLER_USE_LAST_VALID_CONFIG_FOR_FALLBACK would
// restore), without a second indexed Store: for most objects the last valid version is the current one,
// which the store already holds. Only objects whose current version is not their last valid one (it broke
// something, or it was loaded broken) are held here, with the version to restore (or none).
import { keyOf, type K8sObject } from '../model/object.ts';
import { INDEXES, type IndexName } from '../state/indexes.ts';
import type { StateView } from '../state/view.ts';

export class LastValid implements StateView {
  private readonly current: StateView;
  /** key -> the last valid version, or null when the object has none (loaded broken, created broken). */
  private readonly held = new Map<string, K8sObject | null>();
  /** Index entries of the held versions, built on the first look-up after a change (the report asks rarely). */
  private heldIndexes: Map<IndexName, Map<string, K8sObject[]>> | undefined;

  constructor(current: StateView) {
    this.current = current;
  }

  /** How many objects have a last valid version other than their current one. */
  get heldCount(): number {
    return this.held.size;
  }

  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  /** From now on the object's last valid version is `version` (undefined: it has none), whatever the store holds. */
  hold(key: string, version: K8sObject | undefined): void {
    this.held.set(key, version ?? null);
    this.heldIndexes = undefined;
  }

  /** The object's current version is its last valid one again. */
  release(key: string): void {
    if (this.held.delete(key)) this.heldIndexes = undefined;
  }

  get(key: string): K8sObject | undefined {
    const held = this.held.get(key);
    return held === undefined ? this.current.get(key) : (held ?? undefined);
  }

  *list(kind: string): Iterable<K8sObject> {
    for (const obj of this.current.list(kind)) if (!this.held.has(keyOf(obj))) yield obj;
    for (const obj of this.held.values()) if (obj?.kind === kind) yield obj;
  }

  *all(): Iterable<K8sObject> {
    for (const obj of this.current.all()) if (!this.held.has(keyOf(obj))) yield obj;
    for (const obj of this.held.values()) if (obj) yield obj;
  }

  /** The current store's answer without the held objects' current versions, plus the held versions' entries. */
  lookup(name: IndexName, key: string): K8sObject[] {
    const found = this.held.size ? this.current.lookup(name, key).filter((o) => !this.held.has(keyOf(o))) : this.current.lookup(name, key);
    const extra = this.indexOfHeld(name).get(key);
    return extra ? [...found, ...extra] : found;
  }

  sequence(key: string): number {
    return this.current.sequence(key);
  }

  private indexOfHeld(name: IndexName): Map<string, K8sObject[]> {
    this.heldIndexes ??= new Map();
    let index = this.heldIndexes.get(name);
    if (!index) {
      this.heldIndexes.set(name, (index = new Map()));
      for (const obj of this.held.values()) {
        if (!obj) continue;
        for (const value of INDEXES[name](obj)) {
          const bucket = index.get(value);
          if (bucket) bucket.push(obj);
          else index.set(value, [obj]);
        }
      }
    }
    return index;
  }
}
