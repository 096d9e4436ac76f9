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

// Kong 3.9.3's own entity schema tests (spec/01-unit/01-db/01-schema/{05-services,06-routes,08-targets,09-upstreams,
// 11-snis,14-consumers}_spec.lua), each entity table they validate, with Kong's verdict
// (scripts/kong-schemas/spec-entities.lua, then harness-entities.lua).
const specFixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'kong-oracle', 'spec-entities-dbless.json'), 'utf8')) as Fixture;

/**
 * Known misses, each explained: Kong refuses, we accept. A foreign key (a route's `service`) is checked by Kong
 * against the referenced entity's primary key (kong/db/schema/init.lua, validate_field, `foreign`:
 * validate_primary_key): ingress-guard does not model foreign keys, because KIC nests routes in their service in the
 * declarative configuration it sends, so a route never carries a `service` reference of its own. The test fails if
 * one of them stops being exactly this miss.
 */
const FOREIGN_KEY = "foreign keys are not modelled: KIC nests each route in its service, so its routes carry no service reference (Kong: validate_primary_key, kong/db/schema/init.lua)";
const SPEC_KNOWN_MISSES: Record<string, { path: string; why: string }> = Object.fromEntries(
  (['traditional', 'traditional_compatible', 'expressions'] as const).flatMap((flavor) => [
    [`spec/routes@${flavor}/routes schema (flavor = ${flavor}) > fails when service.id is null`, { path: 'service.id', why: FOREIGN_KEY }],
    [`spec/routes@${flavor}/routes schema (flavor = ${flavor}) > validates the foreign key in entities`, { path: 'service.id', why: FOREIGN_KEY }],
  ]),
);

/**
 * The harness's ngx.re is Debian's lrexlib over PCRE2, whose compile error carries " (pattern offset: N)"; OpenResty's
 * does not (Kong's own spec, 06-routes_spec.lua:300, expects `pcre2_compile() failed: missing closing parenthesis in
 * "/users/(foo/profile"`). Kong's message is compared without it.
 */
const withoutOffset = (errors: Record<string, string[]>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.map((m) => m.replace(/ \(pattern offset: \d+\)(?= in ")/, ''))]));

test(`Kong ${specFixture.source.tag} oracle, spec-entities-dbless.json (Kong's own entity schema tests): same verdict, paths and messages on ${specFixture.cases.length} cases (${Object.keys(SPEC_KNOWN_MISSES).length} known misses)`, () => {
  const mismatches: string[] = [];
  for (const c of specFixture.cases) {
    const ours = validateKongEntity(c.entity, c.input, c.flavor);
    const known = SPEC_KNOWN_MISSES[c.id];
    if (known) {
      if (c.valid || !ours.valid || JSON.stringify(Object.keys(c.errors)) !== JSON.stringify([known.path]) || Object.keys(ours.errors).includes(known.path)) {
        mismatches.push(`${c.id}: no longer the known miss (Kong refuses at ${known.path}, we accept): Kong ${JSON.stringify(c.errors)}, we ${JSON.stringify(ours.errors)}`);
      }
      continue;
    }
    const want = withoutOffset(c.errors);
    if (ours.valid !== c.valid || JSON.stringify(ours.errors, Object.keys(ours.errors).sort()) !== JSON.stringify(want, Object.keys(want).sort())) {
      mismatches.push(`${c.id}: Kong ${c.valid ? 'accepts' : 'rejects'} ${JSON.stringify(c.errors)}, we ${ours.valid ? 'accept' : 'reject'} ${JSON.stringify(ours.errors)}`);
    }
  }
  assert.deepEqual(mismatches, []);
  assert.deepEqual(Object.keys(SPEC_KNOWN_MISSES).filter((id) => !specFixture.cases.some((c) => c.id === id)), [], 'every known miss names a case');
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
