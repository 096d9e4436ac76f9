// Every manifest the seed documents apply, taken from the documents themselves and applied in their order
// on top of their prerequisites: none may be denied (seed 003's only manifest uses class nginx and a
// flattened layout that is not a valid object; it is covered by the fixture-based tests).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Store } from '../../src/state/store.ts';
import { apply, messages, objectsFrom, SEEDS, yamlObjects } from '../helpers.ts';

function appliedManifests(seed: string): string[] {
  const text = readFileSync(join(SEEDS, seed), 'utf8');
  return [...text.matchAll(/echo (["'])(.*?)\1 \| kubectl apply -f -/gs)].map((m) => {
    const lines = m[2]!.split('\n');
    const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    return lines.map((l) => l.slice(indent)).join('\n');
  });
}

for (const seed of ['000_ee1b71ac9f62c871.txt', '002_bbf6f9800ad453cc.txt']) {
  test(`seed ${seed.slice(0, 3)}: every manifest it applies is allowed, in the document's order`, async () => {
    // The prerequisites the documents assume: KIC's classes, its Gateway, and the echo Service they deploy by URL.
    const store = new Store(await objectsFrom('a1-ingressclass-kong.yaml', 'a2-gatewayclass-kong.yaml', 'a3-gateway-kong.yaml', 'b1-service-echo.yaml'));
    const manifests = appliedManifests(seed);
    assert.ok(manifests.length >= 3, `found ${manifests.length} manifests`);
    for (const manifest of manifests) {
      for (const obj of yamlObjects(manifest)) {
        const verdict = apply(store, obj);
        assert.equal(verdict.allowed, true, `${obj.kind} ${obj.metadata.name}: ${messages(verdict)}`);
      }
    }
  });
}
