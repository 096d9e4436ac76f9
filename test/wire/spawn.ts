// `ingress-guard serve` as a child process: its JSON log lines, its exit code, signals.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');

export interface Spawned {
  lines: Record<string, unknown>[];
  exit: Promise<number | null>;
  stderr: () => string;
  waitFor: (msg: string) => Promise<Record<string, unknown>>;
  kill: (signal: NodeJS.Signals) => void;
}

export function serve(args: string[], env: Record<string, string> = {}): Spawned {
  // No shutdown delay unless a test asks for one: SIGTERM would otherwise cost every test 5 s.
  const child = spawn(NODE, ['src/cli/main.ts', 'serve', ...args], { cwd: ROOT, env: { ...process.env, INGRESS_GUARD_SHUTDOWN_DELAY: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const waiters: [string, (l: Record<string, unknown>) => void][] = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text);
    } catch {
      line = { msg: text };
    }
    lines.push(line);
    for (const [msg, resolve] of waiters) if (line.msg === msg) resolve(line);
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    lines,
    exit,
    stderr: () => stderr,
    waitFor: (msg) => {
      const found = lines.find((l) => l.msg === msg);
      if (found) return Promise.resolve(found);
      return Promise.race([
        new Promise<Record<string, unknown>>((resolve) => waiters.push([msg, resolve])),
        exit.then((code) => {
          throw new Error(`serve exited (${code}) before "${msg}": ${stderr}`);
        }),
      ]);
    },
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Polls `probe` until it returns a value other than undefined; fails after timeoutMs with the last value seen. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * A kubeconfig for a test API server at `server`, written into `dir`. TLS verification is off: client-node refuses a
 * plain-http server otherwise ("HTTP protocol is not allowed when skipTLSVerify is not set or false"), as it does
 * for `kubectl proxy`; kubectl itself does not.
 */
export function writeKubeconfig(dir: string, server: string, user: Record<string, string> = {}): string {
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'tester', user }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'tester' } }],
      'current-context': 'test',
    }),
  );
  return file;
}
