// `trace --kubeconfig`: the same answer from the live cluster (a fake API server listed once by the informers,
// the loader `problems` uses) as from the manifest files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { runTrace } from '../../src/cli/trace.ts';
import { kindInfo } from '../../src/model/kinds.ts';
import { tempDir } from '../wire/certs.ts';
import { writeKubeconfig } from '../wire/spawn.ts';
import { FIXTURES } from '../helpers.ts';
import { FakeApiServer } from './fake-apiserver.ts';

const TEAMS = join(FIXTURES, 'trace', 'teams.yaml');

async function trace(args: string[]): Promise<{ code: number; out: unknown }> {
  let out = '';
  const code = await runTrace(['--output', 'json', ...args], { stdout: (t) => void (out += t), stderr: () => {} });
  return { code, out: JSON.parse(out) };
}

test('trace --kubeconfig answers from the live state what trace --state answers from the files', async () => {
  const fake = new FakeApiServer();
  fake.notFound = () => false;
  for (const doc of parseAllDocuments(readFileSync(TEAMS, 'utf8'))) {
    const o = doc.toJS() as { apiVersion: string; kind: string };
    if (o.kind === 'Secret') continue; // the API server would keep only `data`; the certificate is not asked about here
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
    const info = kindInfo(group, o.kind)!;
    fake.seed(group ? `/apis/${group}/${info.versions[0]}/${info.resource}` : `/api/${info.versions[0]}/${info.resource}`, [o as never]);
  }
  await fake.listen();
  try {
    const kubeconfig = writeKubeconfig(tempDir(), fake.url);
    for (const url of ['http://shop.example.com/orders', 'http://app.example.com/', 'http://x.example/login']) {
      const live = await trace(['--kubeconfig', kubeconfig, '--sync-timeout', '10', url]);
      const files = await trace(['--state', TEAMS, url]);
      assert.deepEqual(live, files, url);
      if (url.includes('shop')) assert.equal((live.out as { outcome: { status: number } }).outcome.status, 401, 'not vacuous: the live state has the key-auth route');
    }
  } finally {
    await fake.close();
  }
});
