// The `check` command as a user runs it: a real process, real files, real exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLES, INPUTS } from '../helpers.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [MAIN, ...args], { input: input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('check on a valid state exits 0 and says so', () => {
  const r = run(['check', join(EXAMPLES, 'cluster')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /14 objects checked: 0 denied, 0 warnings\./);
});

test('check on the fixture inputs exits 1 and prints every finding grouped by object', () => {
  const r = run(['check', INPUTS]);
  assert.equal(r.code, 1);
  for (const rule of ['duplicate-default-backend', 'unknown-ingress-class', 'missing-backend-service', 'duplicate-credential', 'duplicate-consumer-identity']) assert.match(r.stdout, new RegExp(rule));
  assert.match(r.stdout, /^Ingress default\/web$/m);
  assert.doesNotMatch(r.stdout + r.stderr, /bob-password|Ym9iLXBhc3N3b3Jk/);
});

test('check --output json has the documented shape', () => {
  const r = run(['check', '--output', 'json', INPUTS]);
  const body = JSON.parse(r.stdout) as { findings: Record<string, unknown>[] };
  const web = body.findings.find((f) => f.rule === 'unknown-ingress-class')!;
  assert.deepEqual(web.object, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default', name: 'web' });
  assert.equal(web.severity, 'deny');
  const alice = body.findings.find((f) => f.rule === 'duplicate-credential')!;
  assert.deepEqual(alice.related, [
    { kind: 'KongConsumer', namespace: 'default', name: 'bob' },
    { kind: 'Secret', namespace: 'default', name: 'bob-key-auth' },
  ]);
  for (const f of body.findings) assert.deepEqual(Object.keys(f).filter((k) => !['field', 'preexisting'].includes(k)), ['rule', 'severity', 'object', 'message', 'related']);
});

test('check --state judges each change in order and keeps allowed ones', () => {
  const r = run(['check', '--output', 'json', '--state', join(EXAMPLES, 'cluster'), join(EXAMPLES, 'changes')]);
  assert.equal(r.code, 1);
  const body = JSON.parse(r.stdout) as { changes: { object: { kind: string; name: string }; operation: string; allowed: boolean; findings: { rule: string }[] }[] };
  assert.deepEqual(
    body.changes.map((c) => `${c.operation} ${c.object.kind}/${c.object.name} ${c.allowed ? 'allowed' : 'denied'}`),
    [
      'UPDATE KongConsumer/bob denied',
      'UPDATE HTTPRoute/route-a allowed',
      'CREATE Ingress/fallback-2 denied',
      'CREATE Ingress/web denied',
      'CREATE Ingress/orphan allowed',
      'CREATE Secret/alice-key-auth allowed',
      'CREATE KongConsumer/alice denied',
      'CREATE KongConsumer/bob-clone denied',
    ],
  );
  assert.equal(body.changes[0]!.findings[0]!.rule, 'duplicate-plugin-scope');
});

test('check --state --delete judges deletions; stdin works as a FILE', () => {
  const plugin = 'apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: key-auth}\nplugin: key-auth\n';
  const r = run(['check', '--state', join(EXAMPLES, 'cluster'), '--delete', '-'], plugin);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /DELETE KongPlugin default\/key-auth: allowed/);
  assert.match(r.stdout, /missing-plugin.*\n.*HTTPRoute default\/route-b loses authentication/);
});

test('a document that is not a Kubernetes object is reported with file and index; the rest still loads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ig-check-'));
  const file = join(dir, 'mixed.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n---\njust a string\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n');
  const r = run(['check', file]);
  assert.equal(r.code, 2, 'an unreadable document is an input error, not a verdict');
  assert.match(r.stderr, new RegExp(`error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, document 1: `));
  assert.match(r.stdout, /2 objects checked/);
  // JSON carries the load errors too, so a tool reading only stdout knows what was left out.
  const json = JSON.parse(run(['check', '--output', 'json', file]).stdout) as { findings: unknown[]; errors: { source: string; document?: number; message: string }[] };
  assert.deepEqual(json.errors.map((e) => [e.source, e.document]), [[file, 1]]);
  const changes = JSON.parse(run(['check', '--output', 'json', '--state', join(EXAMPLES, 'cluster'), file]).stdout) as { errors: unknown[] };
  assert.equal(changes.errors.length, 1);
});

test('usage errors exit 2 with a message; --help exits 0', () => {
  assert.equal(run(['check']).code, 2);
  assert.match(run(['check']).stderr, /check needs at least one FILE/);
  assert.equal(run(['check', '--output', 'xml', 'x']).code, 2);
  assert.equal(run(['bogus']).code, 2);
  assert.equal(run(['check', '--help']).code, 0);
  assert.match(run(['--help']).stdout, /Commands:/);
});

test('rules lists every rule and explains one', () => {
  const list = run(['rules']);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /^duplicate-plugin-scope\s+deny\s+/m);
  const one = run(['rules', 'missing-plugin']);
  assert.match(one.stdout, /missing-plugin \(default: warn, deny with strict\)/);
  assert.equal(run(['rules', 'nope']).code, 2);
});

test('problems reports what the fallback would exclude, in KIC\'s shape; exit 1 when triggered, 0 when not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ig-problems-'));
  writeFileSync(
    join(dir, 'zz-bob-broken.yaml'),
    'apiVersion: configuration.konghq.com/v1\nkind: KongConsumer\nmetadata:\n  name: bob\n  annotations: {kubernetes.io/ingress.class: kong}\nusername: bob\ncredentials: [bob-key-auth]\n',
  );
  const clean = run(['problems', '--state', join(EXAMPLES, 'cluster')]);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /^status: not-triggered$/m);
  const broken = run(['problems', '--output', 'json', '--state', join(EXAMPLES, 'cluster'), '--state', dir]);
  assert.equal(broken.code, 1, broken.stderr);
  const report = JSON.parse(broken.stdout) as { status: string; brokenObjects: Record<string, unknown>[]; excludedObjects: { name: string; causingObjects: string[] }[] };
  assert.equal(report.status, 'triggered');
  assert.deepEqual(Object.keys(report.brokenObjects[0]!), ['group', 'kind', 'version', 'namespace', 'name', 'findings']);
  assert.deepEqual(report.excludedObjects.map((o) => o.name).sort(), ['rate-limit-consumer', 'route-b']);
  assert.deepEqual(report.excludedObjects[0]!.causingObjects, ['configuration.konghq.com/KongPlugin:default/rate-limit-consumer']);
  assert.equal(run(['problems', '--state', 'x', '--kubeconfig', 'y']).code, 2);
});

test('check --config: a rule set to off disappears, a rule set to deny denies; a bad file exits 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ig-config-cli-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, 'rules:\n  duplicate-default-backend: "off"\n  missing-backend-service: deny\n');
  const r = run(['check', '--config', config, '--output', 'json', INPUTS]);
  const rules = (JSON.parse(r.stdout) as { findings: { rule: string; severity: string }[] }).findings.map((f) => `${f.rule}:${f.severity}`);
  assert.ok(!rules.some((x) => x.startsWith('duplicate-default-backend')));
  assert.ok(rules.includes('missing-backend-service:deny'));
  writeFileSync(config, 'rules:\n  no-such-rule: deny\n');
  const bad = run(['check', '--config', config, INPUTS]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /rules\.no-such-rule: no such rule/);
});

test('check --config customPlugins: a custom plugin type is accepted only when declared', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ig-custom-'));
  writeFileSync(join(dir, 'plugin.yaml'), 'apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: mine, namespace: default}\nplugin: my-header-auth\n');
  const undeclared = run(['check', join(dir, 'plugin.yaml')]);
  assert.equal(undeclared.code, 1);
  assert.match(undeclared.stdout, /unknown-plugin/);
  const config = join(dir, 'config.yaml');
  writeFileSync(config, 'customPlugins: [my-header-auth]\n');
  const declared = run(['check', '--config', config, join(dir, 'plugin.yaml')]);
  assert.equal(declared.code, 0, declared.stdout);
});

test('exit statuses: a missing file is an input error (2) and --exit-zero does not hide it; denials with --exit-zero are 0', () => {
  const missing = run(['check', '--exit-zero', join(tmpdir(), 'ig-no-such-file.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error: .*ig-no-such-file\.yaml: no such file or directory$/m);
  const denied = run(['check', '--exit-zero', '--state', join(EXAMPLES, 'cluster'), join(EXAMPLES, 'changes')]);
  assert.equal(denied.code, 0, denied.stderr);
  assert.match(denied.stdout, /8 changes judged: 5 denied\./);
});

test('npm start is check --exit-zero on the examples: denials on purpose succeed, a crash or unreadable input fails', () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
  // Node 20 cannot load src/cli/main.ts and exits 1: with --exit-zero, 1 is never a success.
  assert.equal(pkg.scripts.start, 'node src/cli/main.ts check --exit-zero --state examples/cluster examples/changes');
  assert.equal(run(['check', '--exit-zero', '--state', join(EXAMPLES, 'cluster'), join(EXAMPLES, 'changes')]).code, 0);
});

test('errors are one line (usage errors point at --help), never the whole help text', () => {
  for (const [args, message] of [
    [['check'], /^ingress-guard: check needs at least one FILE, DIR or - \(stdin\); run "ingress-guard check --help" for usage\n$/],
    [['check', '--bogus', 'x'], /^ingress-guard: Unknown option '--bogus'; run "ingress-guard check --help" for usage\n$/],
    [['chek'], /^ingress-guard: unknown command "chek" \(did you mean "check"\?\); run "ingress-guard --help" for the list\n$/],
    [['rules', 'missing-plugins'], /^ingress-guard: rules: no rule "missing-plugins" \(did you mean "missing-plugin"\?\); run "ingress-guard rules" for the list\n$/],
  ] as const) {
    const r = run([...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('rules --output json: every rule with its fields; named rules only when ids are given', () => {
  const all = JSON.parse(run(['rules', '--output', 'json']).stdout) as { rules: { id: string; severity: string; summary: string; examples?: { bad: string } }[] };
  const human = run(['rules']).stdout.trim().split('\n');
  assert.equal(all.rules.length, human.length);
  assert.deepEqual(all.rules.map((r) => r.id), human.map((l) => l.split(/\s+/)[0]));
  const one = JSON.parse(run(['rules', '--output', 'json', 'missing-plugin', 'unknown-plugin']).stdout) as typeof all;
  assert.deepEqual(one.rules.map((r) => r.id), ['missing-plugin', 'unknown-plugin']);
  assert.ok(one.rules[0]!.examples?.bad.includes('konghq.com/plugins'));
});

test('a reader that closes the pipe early ends the command quietly (SIGPIPE status, nothing on stderr)', () => {
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${MAIN}" rules --output json | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
  const lines = r.stderr.trim().split('\n');
  assert.deepEqual(lines.slice(0, -1), [], 'no error output');
  assert.ok(['0', '141'].includes(lines.at(-1)!), `status ${lines.at(-1)}`);
});

test('counts read as English: one object, one warning, one change', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ig-plural-'));
  writeFileSync(join(dir, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: default}\nspec: {ports: [{port: 80}]}\n');
  assert.match(run(['check', join(dir, 'svc.yaml')]).stdout, /^1 object checked: 0 denied, 0 warnings\.$/m);
  assert.match(run(['check', '--state', join(dir, 'svc.yaml'), join(dir, 'svc.yaml')]).stdout, /^1 change judged: 0 denied\.$/m);
});
