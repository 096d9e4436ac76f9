// "State + one change" without copying: reads fall through to the base view except for the one key
// the change touches.
import { keyOf, type K8sObject } from '../model/object.ts';
import { INDEXES, type IndexName } from './indexes.ts';
import { admit } from './store.ts';
import type { Change, StateView } from './view.ts';

export class Overlay implements StateView {
  readonly key: string;
  /** The object after the change; undefined for a DELETE. */
  readonly object: K8sObject | undefined;
  readonly base: StateView;
  private readonly kind: string;
  private readonly indexed = new Map<IndexName, string[]>();

  constructor(base: StateView, change: Change) {
    this.base = base;
    const subject = change.object ?? change.oldObject;
    if (!subject) throw new Error('a change needs an object or an oldObject');
    this.key = keyOf(subject);
    this.kind = subject.kind;
    this.object = change.operation === 'DELETE' || !change.object ? undefined : admit(change.object);
  }

  get(key: string): K8sObject | undefined {
    return key === this.key ? this.object : this.base.get(key);
  }

  *list(kind: string): Iterable<K8sObject> {
    let seen = false;
    for (const obj of this.base.list(kind)) {
      if (kind === this.kind && keyOf(obj) === this.key) {
        seen = true;
        if (this.object) yield this.object;
      } else yield obj;
    }
    if (!seen && this.object && kind === this.kind) yield this.object;
  }

  *all(): Iterable<K8sObject> {
    let seen = false;
    for (const obj of this.base.all()) {
      if (keyOf(obj) === this.key) {
        seen = true;
        if (this.object) yield this.object;
      } else yield obj;
    }
    if (!seen && this.object) yield this.object;
  }

  lookup(name: IndexName, key: string): K8sObject[] {
    const found = this.base.lookup(name, key).filter((o) => o.kind !== this.kind || keyOf(o) !== this.key);
    if (this.object && this.keysOf(name, this.object).includes(key)) found.push(this.object);
    return found;
  }

  private keysOf(name: IndexName, obj: K8sObject): string[] {
    let keys = this.indexed.get(name);
    if (!keys) this.indexed.set(name, (keys = INDEXES[name](obj)));
    return keys;
  }

  sequence(key: string): number {
    return this.base.sequence(key);
  }
}
