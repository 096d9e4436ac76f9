// Our validator against Kong 3.9.3's own on core entities and credentials (test/fixtures/kong-oracle/entities-dbless.json,
// made by scripts/kong-schemas/harness-entities.lua running Kong's unmodified schema code under LuaJIT): the same
// verdict, the same error paths and the same messages on every case.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { entityTypes, validateKongEntity } from '../../src/kong/entities.ts';
import type { RouterFlavor } from '../../src/kong/regex.ts';
import { deckEntities } from '../../src/rules/kong-entities.ts';

interface Fixture {
  source: { tag: string; commit: string };
  cases: { id: string; entity: string; flavor?: RouterFlavor; input: Record<string, unknown>; valid: boolean; errors: Record<string, string[]> }[];
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'kong-oracle', 'entities-dbless.json'), 'utf8')) as Fixture;

test(`Kong ${fixture.source.tag} oracle, entities-dbless.json: same verdict, paths and messages on ${fixture.cases.length} cases`, () => {
  const mismatches: string[] = [];
  for (const c of fixture.cases) {
    const ours = validateKongEntity(c.entity, c.input, c.flavor);
    if (ours.valid !== c.valid || JSON.stringify(ours.errors, Object.keys(ours.errors).sort()) !== JSON.stringify(c.errors, Object.keys(c.errors).sort())) {
      mismatches.push(`${c.id}: Kong ${c.valid ? 'accepts' : 'rejects'} ${JSON.stringify(c.errors)}, we ${ours.valid ? 'accept' : 'reject'} ${JSON.stringify(ours.errors)}`);
    }
  }
  assert.deepEqual(mismatches, []);
});

test('the entity fixtures have an accepted and a rejected case for every entity type but certificates', () => {
  const uncovered = (valid: boolean) => entityTypes().filter((t) => !fixture.cases.some((c) => c.entity === t && c.valid === valid));
  // Certificates and CA certificates are OpenSSL checks of values ingress-guard never keeps (README).
  assert.deepEqual(uncovered(true), ['ca_certificates', 'certificates']);
  assert.deepEqual(uncovered(false), ['ca_certificates', 'certificates']);
});

// A guard against false denials: the translator's golden deck files (KIC 3.5's shapes) are configurations Kong takes.
test("the golden deck files (test/golden/deck) pass Kong's entity validation, but the aws vault Kong OSS lacks", () => {
  const dir = join(import.meta.dirname, '..', 'golden', 'deck');
  const rejected: string[] = [];
  for (const name of readdirSync(dir)) {
    const deck = parse(readFileSync(join(dir, name, 'expected.yaml'), 'utf8')) as Record<string, unknown>;
    // The case's router flavour, from its `# settings:` line (test/golden/deck.test.ts).
    const settings = /^# settings: (.*)$/m.exec(readFileSync(join(dir, name, 'in.yaml'), 'utf8'))?.[1];
    const flavor = settings ? (JSON.parse(settings) as { kongRouterFlavor?: RouterFlavor }).kongRouterFlavor : undefined;
    for (const b of deckEntities(deck)) {
      const verdict = validateKongEntity(b.type, b.entity, flavor);
      if (!verdict.valid) rejected.push(`${name}: ${b.type} ${b.label}: ${JSON.stringify(verdict.errors)}`);
    }
  }
  assert.deepEqual(rejected, [`vaults: vaults aws-secrets: {"name":["vault 'aws' is not installed"]}`]);
});
