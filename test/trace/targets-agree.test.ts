// trace, `translate --output json` and `translate --output deck` list the same targets for a Kong service: all three
// read translate/upstream-targets.ts. Over every deck golden case (test/golden/deck, its settings applied), each HTTP
// route is traced with a request built from its first host and plain path; the upstream the trace follows must carry,
// in the deck file and in the JSON configuration, exactly the targets trace shows.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { loadManifests } from '../../src/state/manifests.ts';
import { Store } from '../../src/state/store.ts';
import type { TranslateConfig } from '../../src/translate/config.ts';
import { toDeck } from '../../src/translate/deck.ts';
import { translateAll } from '../../src/translate/kong-config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { traceRequest } from '../../src/trace/trace.ts';

const GOLDEN = join(import.meta.dirname, '..', 'golden', 'deck');

test('trace, translate JSON and the deck file list the same targets for every traced upstream of the deck golden cases', async () => {
  let compared = 0;
  const withTargets = new Set<string>();
  for (const name of readdirSync(GOLDEN).sort()) {
    const input = readFileSync(join(GOLDEN, name, 'in.yaml'), 'utf8');
    if (/^# flags: /m.test(input)) continue;
    const settings = JSON.parse(/^# settings: (.*)$/m.exec(input)?.[1] ?? '{}') as Partial<TranslateConfig>;
    const loaded = await loadManifests([join(GOLDEN, name, 'in.yaml')]);
    const store = new Store(loaded.objects.map((o) => o.object));
    const tr = new Translator(store, { ...DEFAULT_POLICY.translate, ...settings });
    const config = translateAll(tr, store);
    const deck = toDeck(tr, config) as { upstreams?: { name: string; targets?: unknown[] }[] };
    for (const route of config.routes) {
      if (route.protocols?.some((p) => !['http', 'https', 'grpc', 'grpcs'].includes(p))) continue;
      const path = route.paths.find((p) => p.startsWith('/')) ?? '/';
      const host = route.hosts.find((h) => !h.includes('*')) ?? 'any.example';
      const trace = traceRequest(tr, { url: `http://${host}${path}` });
      if (!trace.upstream) continue;
      const { name: upstream, targets } = trace.upstream;
      const fromDeck = deck.upstreams?.find((u) => u.name === upstream);
      assert.ok(fromDeck, `${name}: the deck file has upstream ${upstream}`);
      assert.deepEqual(fromDeck.targets ?? [], targets, `${name}: ${host}${path} -> ${upstream}: deck and trace`);
      assert.deepEqual(config.upstreams.find((u) => u.name === upstream)?.targets, targets, `${name}: ${host}${path} -> ${upstream}: JSON and trace`);
      compared++;
      if (targets.length) withTargets.add(upstream);
    }
  }
  assert.ok(compared >= 50, `${compared} traced upstreams`);
  // Endpoints with every KIC case (service-targets), an ExternalName Service, a service upstream, shared weights.
  for (const u of ['pods.default.web.svc', 'external.default.443.svc', 'api.default.8080.svc', 'httproute.default.canary.0']) assert.ok(withTargets.has(u), `${u} is traced with its targets`);
});
