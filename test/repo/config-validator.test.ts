// The configuration validator is compiled at build time (ajv standalone); the committed module must be what the
// generator makes from the schema today, and it must judge like ajv compiling the schema at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { configValidatorSource, TARGET } from '../../scripts/config-validator/generate.ts';
import { CONFIG_SCHEMA } from '../../src/engine/config-schema.ts';
import { validate } from '../../src/engine/generated/config-validator.ts';

test('src/engine/generated/config-validator.ts is the generator output for the current schema (npm run config-validator)', () => {
  assert.equal(readFileSync(TARGET, 'utf8'), configValidatorSource());
});

const DOCUMENTS: unknown[] = [
  {},
  { ingressClass: 'kong', strict: true, rules: { 'missing-plugin': 'deny' }, customPlugins: ['a', 'b'], kongEdition: 'enterprise' },
  { ingressClass: '' },
  { customPlugins: ['a', 'a'] },
  { rules: { x: 'loud' } },
  { kicVersion: '2.9', kongRouterFlavor: 'fast', extra: 1 },
  { strict: 'yes', ignoreNamespaces: 'sandbox' },
  [],
  'text',
  null,
];

test('the generated validator gives the verdicts and errors of ajv compiling the schema at run time', () => {
  const runtime = new Ajv({ allErrors: true }).compile(CONFIG_SCHEMA);
  for (const doc of DOCUMENTS) {
    const ok = validate(doc);
    assert.equal(ok, runtime(doc), JSON.stringify(doc));
    assert.deepEqual((validate as unknown as { errors: unknown }).errors, runtime.errors, JSON.stringify(doc));
  }
});
