// `ingress-guard translate`: prints the Kong configuration KIC would build from manifests, with provenance.
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { policyFrom } from './config-file.ts';
import { loadManifests } from '../state/manifests.ts';
import { Store } from '../state/store.ts';
import { fallbackState, type FallbackState } from '../engine/fallback-state.ts';
import { toDeck } from '../translate/deck.ts';
import { translateAll } from '../translate/kong-config.ts';
import { Translator } from '../translate/translator.ts';
import type { CheckIO } from './check.ts';
import { UsageError } from './check.ts';
import { EXIT, jsonProblems, problemLines } from './output.ts';

export const TRANSLATE_HELP = `Usage: ingress-guard translate [options] FILE|DIR|- ...

Prints, as JSON, the Kong entities KIC would build from the manifests (services, routes,
upstreams and targets, plugin instances with their scopes, the plugins KIC generates from
HTTPRoute filters ("filterPlugins", each with its Kong route and the rule and filter it comes
from) and the KongPlugins ExtensionRef filters place ("extensionRefPlugins"), consumers,
consumer groups, credentials, certificates), each with "sources": the objects it comes from. Credential
and certificate entities name their Secret, never its contents.

With --output deck (YAML) or deck-json, prints instead the declarative configuration (format
3.0) KIC 3.5 would send to Kong: KIC's names, tags and IDs, routes nested in their services,
credentials in their consumers. Every value read from a Secret is the one marker
"<redacted by ingress-guard>". The README lists what this output leaves out.

With --fallback, translates what KIC's Fallback Configuration would: the objects Kong would
reject (the problems command's brokenObjects) and every object that depends on them left out.
With --last-valid PATH (implies --fallback), the manifests of the last configuration Kong
accepted: as KIC does with --use-last-valid-config-for-fallback, each excluded object and its
dependants are put back as PATH holds them. stderr lists what was excluded and backfilled.

Options:
  --output FORMAT        json (default, with provenance), deck (YAML) or deck-json
  --fallback             translate KIC's fallback configuration (broken objects and their dependants left out)
  --last-valid PATH      with the fallback, backfill from these manifests (file, directory; repeatable)
  --ingress-class NAME   KIC's ingress class (default: kong)
  --config FILE          configuration file (YAML): class, per-rule severity, strict, custom plugins, ignored namespaces
  --namespace NS         namespace for namespaced objects that have none (default: default)
  -h, --help             this help

Exit status: 0, or 2 when a file or document cannot be read (the rest is still translated
and the output's "errors" names what was left out).
`;

export async function runTranslate(argv: string[], io: CheckIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { output: { type: 'string', default: 'json' }, fallback: { type: 'boolean', default: false }, 'last-valid': { type: 'string', multiple: true }, 'ingress-class': { type: 'string' }, config: { type: 'string' }, namespace: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.stdout(TRANSLATE_HELP);
    return 0;
  }
  const output = values.output;
  if (output !== 'json' && output !== 'deck' && output !== 'deck-json') throw new UsageError(`--output must be json, deck or deck-json, not ${JSON.stringify(output)}`);
  if (positionals.length === 0) throw new UsageError('translate needs at least one FILE, DIR or - (stdin)');
  const loaded = await loadManifests(positionals, { ...(values.namespace ? { defaultNamespace: values.namespace } : {}), ...(io.stdin ? { stdin: io.stdin } : {}) });
  io.stderr(problemLines(loaded.problems));
  const current = new Store(loaded.objects.map((o) => o.object));
  const policy = policyFrom(values.config, { ingressClass: values['ingress-class'] });
  let store = current;
  let fallback: FallbackState | undefined;
  if (values.fallback || values['last-valid']) {
    let lastValid: Store | undefined;
    if (values['last-valid']) {
      const last = await loadManifests(values['last-valid'], values.namespace ? { defaultNamespace: values.namespace } : {});
      io.stderr(problemLines(last.problems));
      loaded.problems.push(...last.problems);
      lastValid = new Store(last.objects.map((o) => o.object));
    }
    fallback = fallbackState(current, policy, lastValid);
    store = fallback.store;
    io.stderr(fallbackLines(fallback));
  }
  const tr = new Translator(store, policy.translate);
  const config = translateAll(tr, store);
  if (output === 'json') io.stdout(JSON.stringify({ ...config, ...(fallback ? { fallback: fallbackJson(fallback) } : {}), errors: jsonProblems(loaded.problems) }, null, 2) + '\n');
  else {
    // Read errors went to stderr above; the deck file holds only what Kong would receive.
    const deck = toDeck(tr, config);
    io.stdout(output === 'deck' ? deckYaml(deck) : JSON.stringify(deck, sortedKeys, 2) + '\n');
  }
  return loaded.problems.length ? EXIT.input : EXIT.ok;
}

const causes = (m: Map<string, Set<string>>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([object, by]) => ({ object, causingObjects: [...by].sort() }));

function fallbackJson(f: FallbackState) {
  return { brokenObjects: f.broken, excludedObjects: causes(f.excluded), backfilledObjects: causes(f.backfilled) };
}

/** What the fallback did, for stderr (the deck output holds only what Kong would receive). */
function fallbackLines(f: FallbackState): string {
  if (!f.broken.length) return 'fallback: nothing is broken: the whole state is translated\n';
  const lines = [`fallback: ${f.broken.length} broken: ${f.broken.join(', ')}`];
  for (const { object, causingObjects } of causes(f.excluded)) lines.push(`  excluded ${object} (caused by ${causingObjects.join(', ')})`);
  for (const { object, causingObjects } of causes(f.backfilled)) lines.push(`  backfilled ${object} (last valid version, for ${causingObjects.join(', ')})`);
  return lines.join('\n') + '\n';
}

/** YAML as KIC's golden files print it: keys in alphabetical order (Go marshals via maps), lists not indented further. */
export function deckYaml(deck: unknown): string {
  return stringify(deck, { sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/** deck-json with the keys in the YAML's order, so the two outputs diff alike. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
