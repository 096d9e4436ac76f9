// Golden tests for `translate --output deck`, in the layout KIC uses for its own translator
// (internal/dataplane/testdata/golden/<case>/in.yaml and default_golden.yaml): test/golden/deck/<case>/in.yaml holds
// the manifests, expected.yaml the deck file. Each in.yaml says which KIC file and function it exercises.
// UPDATE_GOLDEN=1 (npm run golden) rewrites expected.yaml from the current output, for a reviewable diff.
// A case that needs other translate settings says so in a comment line of in.yaml:
// `# settings: {"kongRouterFlavor": "expressions"}` (JSON, merged over the default settings). A case that needs
// translate's flags runs the command itself: `# flags: --fallback --last-valid last-valid.yaml` (paths relative to
// the case directory, after which in.yaml is the input).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deckYaml, runTranslate } from '../../src/cli/translate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { loadManifests } from '../../src/state/manifests.ts';
import { Store } from '../../src/state/store.ts';
import type { TranslateConfig } from '../../src/translate/config.ts';
import { REDACTED, toDeck } from '../../src/translate/deck.ts';
import { translateAll } from '../../src/translate/kong-config.ts';
import { Translator } from '../../src/translate/translator.ts';

const DIR = join(import.meta.dirname, 'deck');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const CASES = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

async function deckOf(file: string, settings: Partial<TranslateConfig>): Promise<string> {
  const loaded = await loadManifests([file]);
  assert.deepEqual(loaded.problems, [], `${file} reads cleanly`);
  const store = new Store(loaded.objects.map((o) => o.object));
  const tr = new Translator(store, { ...DEFAULT_POLICY.translate, ...settings });
  return deckYaml(toDeck(tr, translateAll(tr, store)));
}

/** The deck file `translate --output deck FLAGS in.yaml` prints; file arguments are relative to the case directory. */
async function deckWithFlags(caseDir: string, flags: string): Promise<string> {
  const args = flags.trim().split(/\s+/).map((a, i, all) => (all[i - 1] === '--last-valid' ? join(caseDir, a) : a));
  let out = '';
  const status = await runTranslate(['--output', 'deck', ...args, join(caseDir, 'in.yaml')], { stdout: (t) => void (out += t), stderr: () => {} });
  assert.equal(status, 0, `${caseDir}: translate exits 0`);
  return out;
}

test('at least 40 deck golden cases', () => {
  assert.ok(CASES.length >= 40, `${CASES.length} cases`);
});

for (const name of CASES) {
  test(`deck golden: ${name}`, async () => {
    const caseDir = join(DIR, name);
    const input = readFileSync(join(caseDir, 'in.yaml'), 'utf8');
    assert.match(input, /^# KIC: \S+/m, 'the case names the KIC file and function it exercises');
    const settings = /^# settings: (.*)$/m.exec(input)?.[1];
    const flags = /^# flags: (.*)$/m.exec(input)?.[1];
    assert.ok(!(flags && settings), 'a case gives flags or settings, not both');
    const actual = flags ? await deckWithFlags(caseDir, flags) : await deckOf(join(caseDir, 'in.yaml'), settings ? (JSON.parse(settings) as Partial<TranslateConfig>) : {});
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
