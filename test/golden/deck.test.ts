// Golden tests for `translate --output deck`, in the layout KIC uses for its own translator
// (internal/dataplane/testdata/golden/<case>/in.yaml and default_golden.yaml): test/golden/deck/<case>/in.yaml holds
// the manifests, expected.yaml the deck file. Each in.yaml says which KIC file and function it exercises.
// UPDATE_GOLDEN=1 (npm run golden) rewrites expected.yaml from the current output, for a reviewable diff.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deckYaml } from '../../src/cli/translate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { loadManifests } from '../../src/state/manifests.ts';
import { Store } from '../../src/state/store.ts';
import { REDACTED, toDeck } from '../../src/translate/deck.ts';
import { translateAll } from '../../src/translate/kong-config.ts';
import { Translator } from '../../src/translate/translator.ts';
import type { TranslateConfig } from '../../src/translate/config.ts';
import { policyFromConfig } from '../../src/engine/policy-config.ts';
import { parse } from 'yaml';

const DIR = join(import.meta.dirname, 'deck');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const CASES = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

/** A case's `config.yaml`, when it has one, is the ingress-guard configuration it runs under (KIC's `_settings.yaml`). */
function translateConfigOf(caseDir: string): TranslateConfig {
  const file = join(caseDir, 'config.yaml');
  return existsSync(file) ? policyFromConfig(parse(readFileSync(file, 'utf8')), file).translate : DEFAULT_POLICY.translate;
}

async function deckOf(file: string, config: TranslateConfig = DEFAULT_POLICY.translate): Promise<string> {
  const loaded = await loadManifests([file]);
  assert.deepEqual(loaded.problems, [], `${file} reads cleanly`);
  const store = new Store(loaded.objects.map((o) => o.object));
  const tr = new Translator(store, config);
  return deckYaml(toDeck(tr, translateAll(tr, store)));
}

test('at least 10 deck golden cases', () => {
  assert.ok(CASES.length >= 10, `${CASES.length} cases`);
});

for (const name of CASES) {
  test(`deck golden: ${name}`, async () => {
    const caseDir = join(DIR, name);
    const input = readFileSync(join(caseDir, 'in.yaml'), 'utf8');
    assert.match(input, /^# KIC: \S+/m, 'the case names the KIC file and function it exercises');
    const actual = await deckOf(join(caseDir, 'in.yaml'), translateConfigOf(caseDir));
    const expectedFile = join(caseDir, 'expected.yaml');
    if (UPDATE) writeFileSync(expectedFile, actual);
    assert.ok(existsSync(expectedFile), `${name}: no expected.yaml yet: run UPDATE_GOLDEN=1 npm run golden`);
    assert.equal(actual, readFileSync(expectedFile, 'utf8'), `${name}: run UPDATE_GOLDEN=1 npm run golden and review the diff`);
    // The output is a deck file of format 3.0; no Secret value can be in it, only the marker.
    assert.match(actual, /^_format_version: "3.0"$/m);
    assert.ok(!actual.includes('LEAK') && !actual.includes('-----BEGIN'), `${name}: a Secret value reached the output`);
    if (/konghq.com\/credential|kubernetes.io\/tls/.test(input)) assert.ok(actual.includes(REDACTED), `${name}: Secret fields carry the marker`);
  });
}
