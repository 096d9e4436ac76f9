// The README's rule table is documentation users trust: it must list exactly the rules the code runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../src/rules/index.ts';

test('README rules table = the rule catalogue (ids and default severities, in order)', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| (deny|warn) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(rows, RULES.map((r) => `${r.id} ${r.severity}`));
});
