// Data flows one way (DESIGN.md, "Shape"): every module under src/ imports only its own layer or a lower
// one. A lower layer can then be read, tested and reused without anything built on it, and a change high up
// (a CLI flag, a server option) cannot reach into the engine's verdicts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

/**
 * The layers, lowest first; each folder of src/ is in exactly one. Each layer is what the next one needs:
 * model reads one object; kong is Kong's own plugin schemas and validator, generated from Kong's source,
 * which know nothing of Kubernetes; state holds many (store, overlay, sources); router is Kong's route matching and priority over
 * routes it is handed (its own input type, so the translator can feed it without the router knowing the
 * translator; it sits below translate because the translator gives routes KIC's IDs with its `kicRouteId`);
 * translate turns the state into Kong entities; graph walks dependencies across the state (KIC's fallback exclusion) and sits above translate
 * (translation never needs the graph); trace answers which route serves a request (translate, router and
 * graph together); rules judge the translated state; engine runs
 * the rules on a change and applies the policy; admission maps AdmissionReviews to changes and verdicts;
 * deploy (webhook configuration) and server (HTTPS faces) are independent outer pieces; cli wires them all.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['model'],
  ['kong'],
  ['state'],
  ['router'],
  ['translate'],
  ['graph'],
  ['trace'],
  ['rules'],
  ['engine'],
  ['admission'],
  ['deploy', 'server'],
  ['cli'],
];

const RANK = new Map(LAYERS.flatMap((folders, rank) => folders.map((folder) => [folder, rank] as const)));

/**
 * What one file's imports break. `file` is its path under src/ (`state/store.ts`). Every static import and
 * export-from counts, `import type` included: a type from above ties a lower layer to that layer's
 * vocabulary as surely as a value does, and moves with it. Dynamic imports with a literal count too.
 * Packages (`node:fs`, `yaml`) are outside the order.
 */
function layerViolations(file: string, text: string): string[] {
  const from = file.split('/')[0]!;
  const rank = RANK.get(from);
  if (rank === undefined) return [`${file}: src/${from}/ has no place in LAYERS`];
  const found: string[] = [];
  for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!specifier.startsWith('.')) continue;
    const target = posix.join(posix.dirname(file), specifier);
    if (target.startsWith('../')) {
      found.push(`${file}: imports ${specifier}, outside src/`);
      continue;
    }
    const to = target.split('/')[0]!;
    const toRank = RANK.get(to);
    if (toRank === undefined || toRank > rank) found.push(`${file}: ${from} imports ${to} (${specifier})`);
  }
  return found;
}

const FILES = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.split('\\').join('/'));

test('the layer check catches an import against the order, and only those', () => {
  // The imports this order was written to remove, in every form they can take.
  assert.equal(layerViolations('state/indexes.ts', "import { dependencyKeys } from '../graph/dependencies.ts';").length, 1);
  assert.equal(layerViolations('translate/translator.ts', "import type { Scope } from '../graph/scope.ts';").length, 1);
  assert.equal(layerViolations('model/x.ts', "export { Store } from '../state/store.ts';").length, 1);
  assert.equal(layerViolations('engine/x.ts', "import {\n  runCheck,\n  type Options,\n} from '../cli/check.ts';").length, 1);
  assert.equal(layerViolations('rules/x.ts', "const m = await import('../engine/evaluate.ts');").length, 1);
  assert.equal(layerViolations('state/x.ts', "import { x } from '../../test/helpers.ts';").length, 1);
  assert.equal(layerViolations('widgets/x.ts', '').length, 1, 'a new folder must be placed in LAYERS');
  // Downwards, sideways within a layer, packages, and text that only looks like an import are fine.
  const allowed = [
    "import type { Translator } from '../translate/translator.ts';",
    "import { refKey } from '../model/object.ts';",
    "import { dependencies } from './dependencies.ts';",
    "import { readFileSync } from 'node:fs';",
    "const s = `import x from '../cli/main.ts'`; // import y from '../cli/main.ts'",
  ].join('\n');
  assert.deepEqual(layerViolations('graph/x.ts', allowed), []);
  assert.deepEqual(layerViolations('server/x.ts', "import { render } from '../deploy/webhook-config.ts';"), []);
});

test('every folder of src/ has its place, and the scan sees the imports', () => {
  assert.ok(FILES.length > 50, `${FILES.length} files`);
  assert.deepEqual([...new Set(FILES.map((f) => f.split('/')[0]))].filter((folder) => !RANK.has(folder!)), []);
  const imports = FILES.flatMap((f) => ts.preProcessFile(readFileSync(join(SRC, f), 'utf8'), true, true).importedFiles);
  assert.ok(imports.filter((i) => i.fileName.startsWith('../')).length > 100, 'cross-folder imports are seen');
});

test('every import under src/ goes to the same or a lower layer', () => {
  assert.deepEqual(
    FILES.flatMap((f) => layerViolations(f, readFileSync(join(SRC, f), 'utf8'))),
    [],
  );
});
