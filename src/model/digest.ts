// Keyed digests of values that must never be kept (Secret data): equal values give equal digests within this
// process, and nothing outside it (the key is random per process) can tell what a digest stands for.
import { createHmac, randomBytes } from 'node:crypto';

const digestKey = randomBytes(32);

export function valueDigest(value: Buffer | string): string {
  return createHmac('sha256', digestKey).update(value).digest('base64url').slice(0, 32);
}
