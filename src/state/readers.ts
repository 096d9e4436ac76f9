// read -> the keys (memo entries, judged subjects) that made it, compact for what is common: most reads have
// one reader, held as is; most others a few, in an array; past MANY_READERS, a Set (dropping one key from an
// array is a scan). A Set for every read cost 30 MiB of the live memo's 120 at 50k objects.
import type { Read } from './reads.ts';

const MANY_READERS = 256;

export class Readers {
  private readonly map = new Map<Read, string | string[] | Set<string>>();

  get size(): number {
    return this.map.size;
  }

  /** Calls `fn` with each key that made `read` (no array for the common single key: this runs on every review). */
  forEach(read: Read, fn: (key: string) => void): void {
    const keys = this.map.get(read);
    if (keys === undefined) return;
    if (typeof keys === 'string') fn(keys);
    else for (const key of keys) fn(key);
  }

  /** Notes that `key` made `read` (at most once per key: a repeat is a scan among a few). */
  add(read: Read, key: string): void {
    const keys = this.map.get(read);
    if (keys === undefined) this.map.set(read, key);
    else if (typeof keys === 'string') {
      if (keys !== key) this.map.set(read, [keys, key]);
    } else if (keys instanceof Set) keys.add(key);
    else if (!keys.includes(key)) {
      if (keys.length < MANY_READERS) keys.push(key);
      else this.map.set(read, new Set([...keys, key]));
    }
  }

  delete(read: Read, key: string): void {
    const keys = this.map.get(read);
    if (keys === undefined) return;
    if (typeof keys === 'string') {
      if (keys === key) this.map.delete(read);
    } else if (keys instanceof Set) {
      keys.delete(key);
      if (keys.size === 0) this.map.delete(read);
    } else {
      const at = keys.indexOf(key);
      if (at >= 0) keys.splice(at, 1);
      if (keys.length === 0) this.map.delete(read);
      else if (keys.length === 1) this.map.set(read, keys[0]!);
    }
  }

  clear(): void {
    this.map.clear();
  }
}
