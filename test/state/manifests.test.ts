import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { loadManifests, parseManifests, type LoadResult } from '../../src/state/manifests.ts';
import { INPUTS as FIXTURES } from '../helpers.ts';

/** Writes `files` (relative path → content) under a fresh temp dir and returns its path. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-test-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** `Kind ns/name@index` per loaded object, for compact assertions. */
function summary(result: LoadResult): string[] {
  return result.objects.map(({ object: o, index }) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}@${index}`);
}

const svc = (name: string, extra = ''): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${extra}`;

test('multi-document YAML skips empty and comment-only documents but keeps their positions', () => {
  const text = [svc('a'), '', '# only a comment\n', svc('b'), ''].join('---\n');
  const result = parseManifests(text, 'm.yaml');
  assert.deepEqual(result.problems, []);
  assert.equal(result.ignored, 0);
  assert.deepEqual(summary(result), ['Service default/a@0', 'Service default/b@3']);
  assert.equal(result.objects[0]!.source, 'm.yaml');
});

test('kind: List as printed by kubectl get -o yaml is flattened', () => {
  const text = `apiVersion: v1
items:
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: web
    namespace: prod
- apiVersion: v1
  kind: Service
  metadata:
    name: echo
    namespace: prod
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: echo
kind: List
metadata:
  resourceVersion: ""
`;
  const result = parseManifests(text, 'stdin');
  assert.deepEqual(result.problems, []);
  assert.equal(result.ignored, 1);
  assert.deepEqual(summary(result), ['Ingress prod/web@0', 'Service prod/echo@0']);
});

test('typed list items inherit kind and apiVersion from the list', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: IngressList
metadata: {}
items:
- metadata: {name: one}
- metadata: {name: two, namespace: other}
- apiVersion: v1
  kind: Service
  metadata: {name: own-kind}
`;
  const result = parseManifests(text, 'l.yaml');
  assert.deepEqual(result.problems, []);
  assert.deepEqual(summary(result), ['Ingress default/one@0', 'Ingress other/two@0', 'Service default/own-kind@0']);
  assert.equal(result.objects[0]!.object.apiVersion, 'networking.k8s.io/v1');
});

test('a bad item in a list is a problem naming the item; the other items load', () => {
  const text = `apiVersion: v1\nkind: List\nitems:\n- ${svc('ok').replaceAll('\n', '\n  ')}\n- apiVersion: v1\n  metadata: {name: x}\n`;
  const result = parseManifests(text, 'stdin');
  assert.deepEqual(summary(result), ['Service default/ok@0']);
  assert.deepEqual(result.problems, [
    { source: 'stdin', index: 0, message: 'stdin, document 0, item 1: not a Kubernetes object (missing "kind")' },
  ]);
});

const badDocuments: { name: string; doc: string; message: RegExp }[] = [
  { name: 'scalar', doc: 'just a string\n', message: /not a Kubernetes object \(expected a mapping, found a string\)/ },
  { name: 'sequence', doc: '- a\n- b\n', message: /not a Kubernetes object \(expected a mapping, found a sequence\)/ },
  { name: 'missing kind', doc: 'apiVersion: v1\nmetadata:\n  name: x\n', message: /not a Kubernetes object \(missing "kind"\)$/ },
  { name: 'empty apiVersion and kind', doc: 'apiVersion: ""\nkind: ""\n', message: /\(missing "apiVersion", "kind"\)$/ },
  { name: 'missing metadata.name', doc: 'apiVersion: v1\nkind: Service\nmetadata:\n  namespace: x\n', message: /\(missing "metadata\.name"\)$/ },
  { name: 'missing metadata', doc: 'apiVersion: v1\nkind: Secret\n', message: /\(missing "metadata\.name"\)$/ },
  { name: 'YAML syntax error', doc: 'apiVersion: v1\nkind: Service\nmetadata: name: x\n', message: /invalid YAML: Nested mappings are not allowed in compact mappings at line 8, column 11$/ },
  { name: 'unterminated flow', doc: 'kind: [Service\n', message: /invalid YAML: .* at line \d+, column \d+$/ },
];

for (const { name, doc, message } of badDocuments) {
  test(`bad document in the middle (${name}) is a problem; the rest of the file loads`, async () => {
    const file = path.join(tree({ 'bad.yaml': [svc('first'), doc, svc('last')].join('---\n') }), 'bad.yaml');
    const result = await loadManifests([file]);
    assert.deepEqual(summary(result), ['Service default/first@0', 'Service default/last@2']);
    assert.equal(result.problems.length, 1);
    const [problem] = result.problems;
    assert.equal(problem!.source, file);
    assert.equal(problem!.index, 1);
    assert.ok(problem!.message.startsWith(`${file}, document 1: `), problem!.message);
    assert.match(problem!.message, message);
  });
}

test('problem messages never quote Secret values', () => {
  const text = 'apiVersion: v1\nkind: Secret\nmetadata: {}\nstringData:\n  key: hunter2-secret\n---\n' +
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  key: hunter2-secret: oops\n';
  const result = parseManifests(text, 'stdin');
  assert.equal(result.problems.length, 2);
  for (const p of result.problems) assert.doesNotMatch(p.message, /hunter2/);
});

test('unknown kinds are counted as ignored, not problems', () => {
  const text = [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: echo\n',
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n', // no metadata at all
    'apiVersion: example.com/v1\nkind: Ingress\nmetadata:\n  name: not-networking\n', // right kind, wrong group
    svc('kept'),
  ].join('---\n');
  const result = parseManifests(text, 'k.yaml');
  assert.deepEqual(result.problems, []);
  assert.equal(result.ignored, 3);
  assert.deepEqual(summary(result), ['Service default/kept@3']);
});

const namespaceCases: { name: string; doc: string; defaultNamespace?: string; want: string | undefined }[] = [
  { name: 'namespaced without namespace gets "default"', doc: svc('s'), want: 'default' },
  { name: 'namespaced without namespace gets the option', doc: svc('s'), defaultNamespace: 'team-a', want: 'team-a' },
  { name: 'namespaced keeps its own namespace', doc: svc('s', '  namespace: prod\n'), defaultNamespace: 'team-a', want: 'prod' },
  { name: 'namespaced with empty namespace gets the default', doc: svc('s', '  namespace: ""\n'), want: 'default' },
  { name: 'cluster-scoped stays without namespace', doc: 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: kong\n', defaultNamespace: 'team-a', want: undefined },
  { name: 'cluster-scoped has its namespace removed', doc: 'apiVersion: configuration.konghq.com/v1\nkind: KongClusterPlugin\nmetadata:\n  name: p\n  namespace: kong\nplugin: cors\n', want: undefined },
];

for (const { name, doc, defaultNamespace, want } of namespaceCases) {
  test(`namespace: ${name}`, () => {
    const result = parseManifests(doc, 'ns.yaml', defaultNamespace === undefined ? {} : { defaultNamespace });
    assert.equal(result.objects.length, 1);
    const metadata = result.objects[0]!.object.metadata;
    assert.equal(metadata.namespace, want);
    assert.equal('namespace' in metadata, want !== undefined);
  });
}

test('a JSON file is one document, including a kubectl get -o json list', async () => {
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'x' } }],
  };
  const dir = tree({
    'one.json': JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'j' } }, null, 2),
    'list.json': JSON.stringify(list),
    'two.json': '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}}\n---\n{}\n',
  });
  const result = await loadManifests([path.join(dir, 'one.json'), path.join(dir, 'list.json'), path.join(dir, 'two.json')]);
  assert.deepEqual(summary(result), ['Service default/j@0', 'Service x/a@0']);
  // A second document in a .json file is an error, not a second object.
  assert.equal(result.problems.length, 1);
  assert.match(result.problems[0]!.message, /two\.json, document 0: invalid YAML: /);
});

test('directories are walked recursively in path order, skipping hidden dirs, node_modules and other files', async () => {
  const dir = tree({
    'z.yaml': svc('z'),
    'b/nested/deep.yml': svc('deep'),
    'a.json': JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } }),
    'b/c.YAML': svc('upper-ext'),
    'b/readme.md': svc('markdown'),
    'b/notes.txt': 'not: yaml: at all',
    '.git/config.yaml': svc('git'),
    'b/.hidden/h.yaml': svc('hidden'),
    'node_modules/pkg/x.yaml': svc('dep'),
    'empty/.keep': '',
  });
  const first = await loadManifests([dir]);
  assert.deepEqual(first.problems, []);
  assert.deepEqual(summary(first), ['Service default/a@0', 'Service default/upper-ext@0', 'Service default/deep@0', 'Service default/z@0']);
  assert.deepEqual(first.objects.map((o) => path.relative(dir, o.source)), ['a.json', 'b/c.YAML', 'b/nested/deep.yml', 'z.yaml']);
  assert.deepEqual(summary(await loadManifests([dir])), summary(first));
});

test('an explicit file is read whatever its extension', async () => {
  const dir = tree({ 'manifest.txt': svc('txt') });
  assert.deepEqual(summary(await loadManifests([path.join(dir, 'manifest.txt')])), ['Service default/txt@0']);
});

test('a missing path is a problem, and the other paths still load', async () => {
  const dir = tree({ 'ok.yaml': svc('ok') });
  const missing = path.join(dir, 'nope.yaml');
  const result = await loadManifests([missing, path.join(dir, 'ok.yaml')]);
  assert.deepEqual(summary(result), ['Service default/ok@0']);
  assert.deepEqual(result.problems, [{ source: missing, index: -1, message: `${missing}: no such file or directory` }]);
});

test('"-" reads all of stdin, in order with the other paths', async () => {
  const dir = tree({ 'f.yaml': svc('from-file') });
  // Split mid-document so the loader must read the whole stream before parsing.
  const stdin = Readable.from([svc('in1').slice(0, 10), svc('in1').slice(10) + '---\n', Buffer.from(svc('in2'))]);
  const result = await loadManifests([path.join(dir, 'f.yaml'), '-'], { stdin, defaultNamespace: 'team-a' });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(summary(result), ['Service team-a/from-file@0', 'Service team-a/in1@0', 'Service team-a/in2@1']);
  assert.deepEqual(result.objects.map((o) => o.source), [path.join(dir, 'f.yaml'), 'stdin', 'stdin']);
});

test('problems from stdin name "stdin" and the document index', async () => {
  const stdin = Readable.from([`${svc('a')}---\n${svc('b')}---\napiVersion: v1\nmetadata:\n  name: c\n`]);
  const result = await loadManifests(['-'], { stdin });
  assert.deepEqual(result.problems, [
    { source: 'stdin', index: 2, message: 'stdin, document 2: not a Kubernetes object (missing "kind")' },
  ]);
});

test('loaded objects are plain and deep-frozen', () => {
  const text = svc('f', '  labels:\n    app: x\nspec:\n  ports:\n  - port: 80\n');
  const { object } = parseManifests(text, 'f.yaml').objects[0]!;
  const spec = object.spec as { ports: { port: number }[] };
  for (const value of [object, object.metadata, object.metadata.labels, spec, spec.ports, spec.ports[0]]) {
    assert.ok(Object.isFrozen(value));
  }
  assert.throws(() => { (object.metadata as { name: string }).name = 'changed'; }, TypeError);
  assert.throws(() => { spec.ports.push({ port: 1 }); }, TypeError);
  assert.equal(Object.getPrototypeOf(object), Object.prototype);
  assert.deepEqual(JSON.parse(JSON.stringify(object)), object);
});

test('the real fixture manifests load without problems', async () => {
  const files = fs.readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml') && f !== 'validatingwebhookconfiguration.yaml')
    .map((f) => path.join(FIXTURES, f));
  assert.equal(files.length, 17);
  const result = await loadManifests(files);
  assert.deepEqual(result.problems, []);
  assert.equal(result.ignored, 0);
  assert.equal(result.objects.length, 22);
  // kubectl would have put every namespaced object in `default`; the classes stay cluster-scoped.
  for (const { object } of result.objects) {
    const clusterScoped = object.kind === 'IngressClass' || object.kind === 'GatewayClass';
    assert.equal(object.metadata.namespace, clusterScoped ? undefined : 'default', `${object.kind} ${object.metadata.name}`);
  }

  // The whole directory: same objects, and the webhook configuration is an ignored kind.
  const whole = await loadManifests([FIXTURES]);
  assert.deepEqual(whole.problems, []);
  assert.equal(whole.ignored, 1);
  assert.deepEqual(summary(whole), summary(result));
});

test('a mapping used as a key (an unrendered template placeholder) is a problem for that document, and nothing is printed to the process', async () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const result = parseManifests(`${svc('ok')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: { { include.name } }\n`, 't.yaml');
    assert.deepEqual(summary(result), ['Service default/ok@0']);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0]!.message, /^t\.yaml, document 1: not a Kubernetes object \(missing "metadata\.name"\)/);
    await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings, []);
});

test('Secrets of the types the live view never lists (Helm releases, pull secrets, tokens) are ignored like unknown kinds', () => {
  const secret = (name: string, type?: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n${type ? `type: ${type}\n` : ''}`;
  const text = [secret('helm', 'helm.sh/release.v1'), secret('pull', 'kubernetes.io/dockerconfigjson'), secret('plain'), secret('cert', 'kubernetes.io/tls')].join('---\n');
  const result = parseManifests(text, 's.yaml');
  assert.deepEqual(result.problems, []);
  assert.equal(result.ignored, 2);
  assert.deepEqual(summary(result), ['Secret default/plain@2', 'Secret default/cert@3']);
});
