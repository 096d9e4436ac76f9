// Without a usable kubeconfig, `serve` and `problems` say in one line which API server they tried, or where
// they looked, and why it failed. A kubeconfig that cannot be found or read is an input error: exit 2.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeCa, makeServing, tempDir, writePair } from '../wire/certs.ts';
import { serve, writeKubeconfig } from '../wire/spawn.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');

/** No KUBECONFIG, not in a cluster, and a HOME without .kube: nothing outside the test's own files is read. */
function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1', ...extra };
  for (const name of ['KUBECONFIG', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT']) if (!(name in extra)) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith('INGRESS_GUARD_')) delete env[name];
  return env;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const kubeconfig = (dir: string, server: string) => writeKubeconfig(dir, server, { token: 'TOKEN-MUST-NOT-APPEAR' });

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const oneLine = (text: string) => text.trimEnd().split('\n');

// trace needs its URL to get as far as the cluster.
for (const [command, ...args] of [['serve'], ['problems'], ['trace', 'http://example.com/']] as [string, ...string[]][]) {
  test(`${command} --kubeconfig FILE that does not exist: one line naming it, exit 2, no help text`, async () => {
    const home = tempDir();
    const missing = join(home, 'no-such-kubeconfig');
    const r = await run([command, ...args, '--kubeconfig', missing], cleanEnv(home));
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(oneLine(r.stderr), [`ingress-guard: ${command}: cannot reach the cluster: no kubeconfig found at ${missing}`]);
  });

  test(`${command} with no kubeconfig anywhere and not in a cluster: says where it looked, exit 2`, async () => {
    const home = tempDir();
    const r = await run([command, ...args], cleanEnv(home));
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(oneLine(r.stderr), [
      `ingress-guard: ${command}: cannot reach the cluster: no kubeconfig found at ${join(home, '.kube', 'config')} (KUBECONFIG is not set); not in a cluster (KUBERNETES_SERVICE_HOST is not set)`,
    ]);
  });
}

test('KUBECONFIG naming a file that does not exist: exit 2, naming it', async () => {
  const home = tempDir();
  const missing = join(home, 'gone.yaml');
  const r = await run(['problems'], cleanEnv(home, { KUBECONFIG: missing }));
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(oneLine(r.stderr), [`ingress-guard: problems: cannot reach the cluster: no kubeconfig found at ${missing} (from KUBECONFIG)`]);
});

test('a kubeconfig that does not parse: exit 2, the parser\'s reason without the file\'s content (it holds tokens)', async () => {
  const home = tempDir();
  const file = join(home, 'broken');
  writeFileSync(file, 'users:\n  - name: u\n    user: {token: TOKEN-MUST-NOT-APPEAR\n  bad: [\n');
  const r = await run(['serve', '--kubeconfig', file], cleanEnv(home));
  assert.equal(r.code, 2, r.stderr);
  const lines = oneLine(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, new RegExp(`^ingress-guard: serve: cannot reach the cluster: kubeconfig ${file} is not a usable kubeconfig: .+`));
  assert.doesNotMatch(r.stderr + r.stdout, /TOKEN-MUST-NOT-APPEAR/);
});

test('a kubeconfig without a current context: exit 2, saying so', async () => {
  const home = tempDir();
  const file = join(home, 'empty');
  writeFileSync(file, 'apiVersion: v1\nkind: Config\n');
  const r = await run(['problems', '--kubeconfig', file], cleanEnv(home));
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(oneLine(r.stderr), [`ingress-guard: problems: cannot reach the cluster: kubeconfig ${file} names no API server: it has no current context`]);
});

test('problems against an API server that does not answer: one line with its URL, where it came from and why; exit 2 (not a verdict)', async () => {
  const home = tempDir();
  const port = await closedPort();
  const file = kubeconfig(home, `https://127.0.0.1:${port}`);
  const r = await run(['problems', '--kubeconfig', file, '--sync-timeout', '1'], cleanEnv(home));
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(oneLine(r.stderr).length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`^error: the API server at https://127\\.0\\.0\\.1:${port} \\(kubeconfig ${file.replace(/[.]/g, '\\.')}\\) did not give a complete state within 1s: list failed: .*ECONNREFUSED.* \\(every kind\\)\\n$`));
  assert.doesNotMatch(r.stderr + r.stdout, /TOKEN-MUST-NOT-APPEAR/);
});

test('serve against an API server that does not answer keeps trying, and its log names the server and the reason', async () => {
  const home = tempDir();
  const port = await closedPort();
  const file = kubeconfig(home, `https://127.0.0.1:${port}`);
  // The TLS pair is checked first: the informers start only with a usable one.
  const { certFile, keyFile } = writePair(home, await makeServing(await makeCa()));
  const proc = serve(['--kubeconfig', file, '--port', '0', '--diagnostics-port', '0', '--host', '127.0.0.1', '--tls-cert', certFile, '--tls-key', keyFile], cleanEnv(home) as Record<string, string>);
  try {
    const start = await proc.waitFor('live state from the API server');
    assert.equal(start.server, `https://127.0.0.1:${port}`);
    assert.equal(start.from, `kubeconfig ${file}`);
    const deadline = Date.now() + 10_000;
    let failed: Record<string, unknown> | undefined;
    while (!failed && Date.now() < deadline) {
      failed = proc.lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('list failed: '));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(failed, 'a list failure was logged');
    assert.equal(failed.server, `https://127.0.0.1:${port}`);
    assert.match(String(failed.msg), /ECONNREFUSED/);
    assert.doesNotMatch(JSON.stringify(proc.lines), /TOKEN-MUST-NOT-APPEAR/);
  } finally {
    proc.kill('SIGKILL');
    await proc.exit;
  }
});
