// Every Lua validator reproduced in src/kong/checks.ts meets Kong's own verdict in the oracle fixtures both ways:
// some case it accepts and some case it rejects, so the conformance tests hold each implementation to Kong's wording.
// The few that cannot reject in Kong 3.9.3 are named with the reason.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENTITY_CHECKS, FIELD_CHECKS, NOT_CHECKED, type FieldCheck } from '../../src/kong/checks.ts';
import { validateKongEntity } from '../../src/kong/entities.ts';
import type { RouterFlavor } from '../../src/kong/regex.ts';
import { validatePlugin, type KongDatabase } from '../../src/kong/plugins.ts';

const NEVER_REJECTS: Record<string, string> = {
  'custom:prometheus.config.custom_validator': 'prometheus/schema.lua: the prometheus_metrics dict is in Kong\'s own nginx template',
  'custom:routes.traditional.@entity.custom_entity_check.fn': 'routes.lua: the path_handling v1 deprecation only logs',
  'custom:routes.traditional_compatible.@entity.custom_entity_check.fn': 'routes.lua: the path_handling v1 deprecation only logs',
  'custom:routes.expressions.@entity.custom_entity_check.fn': 'routes.lua: the path_handling v1 deprecation only logs',
  'custom:routes.traditional_compatible.@entity.custom_entity_check.fn#2': 'routes.lua validate_route: expression and priority are fields of the expressions flavor only',
  'custom:opentelemetry.config.resource_attributes.custom_validator':
    'opentelemetry/schema.lua: the map\'s values are strings of length 1 or more, refused before the validator runs',
};

const DIR = join(import.meta.dirname, '..', 'fixtures', 'kong-oracle');
const read = (file: string): { source: { database: KongDatabase }; cases: Record<string, unknown>[] } => JSON.parse(readFileSync(join(DIR, file), 'utf8'));

test('every implemented Kong validator accepts and rejects somewhere in the oracle fixtures', () => {
  const seen = new Map<string, { accepted: number; rejected: number }>();
  const originals: [Record<string, FieldCheck | typeof NOT_CHECKED>, string, FieldCheck][] = [];
  for (const registry of [FIELD_CHECKS, ENTITY_CHECKS]) {
    for (const [marker, check] of Object.entries(registry)) {
      if (check === NOT_CHECKED) continue;
      const counts = { accepted: 0, rejected: 0 };
      seen.set(marker, counts);
      originals.push([registry, marker, check]);
      registry[marker] = (v, c) => {
        const r = check(v, c);
        if (r === true) counts.accepted++;
        else counts.rejected++;
        return r;
      };
    }
  }
  try {
    for (const file of ['plugins-dbless.json', 'plugins-postgres.json', 'docs-examples-dbless.json', 'spec-examples-dbless.json', 'spec-inserts-dbless.json']) {
      const fixture = read(file);
      for (const c of fixture.cases) {
        validatePlugin(c.plugin as string, { config: c.config, protocols: c.protocols, ordering: c.ordering, consumer: c.consumer as boolean | undefined }, fixture.source.database);
      }
    }
    for (const c of [...read('entities-dbless.json').cases, ...read('spec-entities-dbless.json').cases]) validateKongEntity(c.entity as string, c.input as Record<string, unknown>, c.flavor as RouterFlavor | undefined);
  } finally {
    for (const [registry, marker, check] of originals) registry[marker] = check;
  }
  const gaps = [...seen]
    .filter(([marker, n]) => n.accepted === 0 || (n.rejected === 0 && !(marker in NEVER_REJECTS)))
    .map(([marker, n]) => `${marker}: accepted ${n.accepted}, rejected ${n.rejected}`);
  assert.deepEqual(gaps, []);
  assert.deepEqual(Object.keys(NEVER_REJECTS).filter((m) => (seen.get(m)?.rejected ?? 1) > 0), [], 'a listed validator does reject: drop it from NEVER_REJECTS');
});
