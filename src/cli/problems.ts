// `ingress-guard problems`: what KIC's Fallback Configuration would exclude from a state, right now.
import { parseArgs } from 'node:util';
import { policyFrom } from './config-file.ts';
import { ProblemTracker, type ProblemsReport } from '../engine/problems.ts';
import type { CheckIO } from './check.ts';
import { UsageError } from './check.ts';
import { EXIT, jsonProblems } from './output.ts';
import { loadState, stateSourceOf } from './state-source.ts';

export const PROBLEMS_HELP = `Usage: ingress-guard problems [--state PATH ... | --kubeconfig FILE] [options]

Reports the objects KIC's Fallback Configuration would treat as broken (findings of rules
whose configuration Kong rejects), the objects it would exclude with them (their
dependants), and the objects backfilling would restore, in the shape of KIC's
/debug/config/fallback plus the findings. Objects denied for what KIC itself does with
them (translation failures, its webhook's refusals, routing conflicts) are listed apart
as deniedObjects: they trigger no fallback.
A one-shot report knows no earlier valid versions: backfilling needs the history that a
running "serve" keeps (GET /debug/config/problems on its diagnostics port). To see the
configuration KIC would send then, run "translate --fallback" (with "--last-valid PATH" for
the backfill from the manifests Kong last accepted).

Options:
  --state PATH           the state from manifest files or directories (repeatable)
  --kubeconfig FILE      the live cluster (default without --state: KUBECONFIG, then in-cluster)
  --sync-timeout SEC     with a live cluster, how long to wait for the caches (default: 60)
  --output human|json    output format (default: human)
  --ingress-class NAME   KIC's ingress class (default: kong)
  --config FILE          configuration file (YAML): class, per-rule severity, strict, custom plugins, ignored namespaces
  -h, --help             this help

Exit status: 0 when nothing is broken or denied, 1 when something is, 2 on usage errors and when a
file, a document or the cluster cannot be read, 3 on an internal error.
`;

function human(report: ProblemsReport): string {
  const lines = [`status: ${report.status}`];
  const name = (o: { kind: string; namespace?: string; name: string }) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  for (const [title, list] of [
    ['Broken (Kong would reject the configuration because of these):', report.brokenObjects],
    ['Denied, but no fallback (Kong accepts these; KIC skips, refuses or misroutes them):', report.deniedObjects],
  ] as const) {
    if (!list?.length) continue;
    lines.push('', title);
    for (const o of list) {
      lines.push(`  ${name(o)}`);
      for (const f of o.findings) lines.push(`    ${f.rule}: ${f.message}`);
    }
  }
  for (const [title, list] of [
    ['Excluded by the fallback (broken objects and everything that depends on them):', report.excludedObjects],
    ['Backfilled with their last valid version:', report.backfilledObjects],
  ] as const) {
    if (!list?.length) continue;
    lines.push('', title);
    for (const o of list) lines.push(`  ${name(o)}  (caused by ${o.causingObjects.join(', ')})`);
  }
  return lines.join('\n') + '\n';
}

export async function runProblems(argv: string[], io: CheckIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      state: { type: 'string', multiple: true },
      kubeconfig: { type: 'string' },
      'sync-timeout': { type: 'string', default: '60' },
      output: { type: 'string', default: 'human' },
      'ingress-class': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(PROBLEMS_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`problems: unexpected argument "${positionals[0]}" (use --state PATH)`);
  if (values.output !== 'human' && values.output !== 'json') throw new UsageError(`problems: --output must be human or json, not "${values.output}"`);
  const source = stateSourceOf('problems', values);
  const policy = policyFrom(values.config, { ingressClass: values['ingress-class'] });

  const { store, problems, notSynced } = await loadState('problems', source, io);
  if (notSynced) {
    io.stderr(`error: ${notSynced}\n`);
    return EXIT.input;
  }
  const report = new ProblemTracker(store, policy).report();
  io.stdout(values.output === 'json' ? JSON.stringify({ ...report, errors: jsonProblems(problems) }, null, 2) + '\n' : human(report));
  return problems.length ? EXIT.input : report.status === 'triggered' || report.deniedObjects?.length ? EXIT.denied : EXIT.ok;
}
