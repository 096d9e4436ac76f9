// `ingress-guard check`: the offline face of the engine, for CI before merge.
import { parseArgs } from 'node:util';
import { audit, evaluate, type Verdict } from '../engine/evaluate.ts';
import type { Policy } from '../engine/policy.ts';
import { ProblemTracker } from '../engine/problems.ts';
import { policyFrom } from './config-file.ts';
import { keyOf, type K8sObject } from '../model/object.ts';
import { loadManifests, type LoadProblem } from '../state/manifests.ts';
import { UsageError } from './errors.ts';
import { Store } from '../state/store.ts';
import type { Operation } from '../state/view.ts';
import { counts, EXIT, humanFindings, humanVerdict, jsonFinding, jsonProblems, lookupIn, problemLines } from './output.ts';
import { plural } from '../model/english.ts';

export const CHECK_HELP = `Usage: ingress-guard check [options] FILE|DIR|- ...

Judges Kubernetes manifests the way the webhook would.

  Without --state, the files are the whole cluster state: every finding is printed.
  With --state PATH, PATH is the current state and each object in FILE... is applied
  in order as a change (create, or update when it exists), judged as the webhook
  judges an admission request. Allowed changes are kept for the next one.

Options:
  --state PATH           current cluster state (files or directories, repeatable)
  --delete               with --state: the objects in FILE... are deleted instead
  --output human|json    output format (default: human)
  --ingress-class NAME   KIC's ingress class (default: kong)
  --strict               dangling references (missing Service, Secret, plugin, ...) deny
  --config FILE          configuration file (YAML): class, per-rule severity, strict, custom plugins, ignored namespaces
  --namespace NS         namespace for namespaced objects that have none (default: default)
  --exit-zero            exit 0 even when something is denied (input and internal errors still fail)
  -h, --help             this help

Exit status: 0 when nothing is denied, 1 when a finding or a change is denied, 2 on usage
errors and when a file or document cannot be read (the rest is still judged), 3 on an
internal error.
`;

export interface CheckIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: NodeJS.ReadableStream;
}

export async function runCheck(argv: string[], io: CheckIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      state: { type: 'string', multiple: true },
      delete: { type: 'boolean', default: false },
      output: { type: 'string', default: 'human' },
      'ingress-class': { type: 'string' },
      strict: { type: 'boolean', default: false },
      config: { type: 'string' },
      namespace: { type: 'string' },
      'exit-zero': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  if (values.output !== 'human' && values.output !== 'json') throw new UsageError(`--output must be human or json, not "${values.output}"`);
  if (positionals.length === 0) throw new UsageError('check needs at least one FILE, DIR or - (stdin)');
  if (values.delete && !values.state) throw new UsageError('--delete needs --state');

  const policy = policyFrom(values.config, { ingressClass: values['ingress-class'], strict: values.strict });
  const loadOptions = { ...(values.namespace ? { defaultNamespace: values.namespace } : {}), ...(io.stdin ? { stdin: io.stdin } : {}) };
  const json = values.output === 'json';

  const status = (denied: boolean, problems: readonly LoadProblem[]): number =>
    problems.length ? EXIT.input : denied && !values['exit-zero'] ? EXIT.denied : EXIT.ok;

  if (!values.state) {
    const loaded = await loadManifests(positionals, loadOptions);
    io.stderr(problemLines(loaded.problems));
    const store = new Store(loaded.objects.map((o) => o.object));
    const findings = audit(store, policy);
    const { deny, warn } = counts(findings);
    if (json) io.stdout(JSON.stringify({ findings: findings.map((f) => jsonFinding(f, lookupIn(store))), errors: jsonProblems(loaded.problems) }, null, 2) + '\n');
    else {
      if (findings.length) io.stdout(humanFindings(findings) + '\n\n');
      io.stdout(`${plural(store.size, 'object')} checked: ${deny} denied, ${plural(warn, 'warning')}.\n`);
    }
    return status(deny > 0, loaded.problems);
  }

  const state = await loadManifests(values.state, loadOptions);
  const changes = await loadManifests(positionals, loadOptions);
  const problems = [...state.problems, ...changes.problems];
  io.stderr(problemLines(problems));
  const checked = new StateCheck(new Store(state.objects.map((o) => o.object)), policy);
  const store = checked.store;
  const results: { verdict: Verdict; object: K8sObject }[] = [];
  for (const { object } of changes.objects) {
    const result = checked.judge(object, values.delete);
    if (result) results.push(result);
    else io.stderr(`skipped: ${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name} is not in the state, nothing to delete\n`);
  }
  const denied = results.filter((r) => !r.verdict.allowed).length;
  if (json) {
    const lookup = lookupIn(store);
    io.stdout(
      JSON.stringify(
        {
          changes: results.map(({ verdict, object }) => ({
            object: { apiVersion: object.apiVersion, kind: object.kind, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}), name: object.metadata.name },
            operation: verdict.operation,
            allowed: verdict.allowed,
            findings: [...verdict.denials, ...verdict.warnings].map((f) => jsonFinding(f, lookup)),
          })),
          errors: jsonProblems(problems),
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    for (const { verdict } of results) io.stdout(humanVerdict(verdict) + '\n');
    io.stdout(`${plural(results.length, 'change')} judged: ${denied} denied.\n`);
  }
  return status(denied > 0, problems);
}

/**
 * `check --state`: the state followed by its problems report, each change judged against that report as
 * `serve` judges a review, and applied when allowed (the webhook would have let it through).
 */
export class StateCheck {
  readonly store: Store;
  readonly report: ProblemTracker;
  private readonly policy: Policy;

  constructor(store: Store, policy: Policy) {
    this.store = store;
    this.policy = policy;
    this.report = new ProblemTracker(store, policy);
    store.subscribe((before, after) => this.report.observe(before, after));
  }

  /** Judges `object` as a create or update (or a delete); undefined when deleting what is not there. */
  judge(object: K8sObject, remove = false): { verdict: Verdict; object: K8sObject } | undefined {
    const key = keyOf(object);
    const existing = this.store.get(key);
    if (remove && !existing) return undefined;
    const operation: Operation = remove ? 'DELETE' : existing ? 'UPDATE' : 'CREATE';
    const change = operation === 'DELETE' ? { operation, oldObject: existing! } : existing ? { operation, object, oldObject: existing } : { operation, object };
    const verdict = evaluate(this.store, change, this.policy, this.report);
    if (verdict.allowed) {
      if (operation === 'DELETE') this.store.delete(key);
      else this.store.upsert(object);
    }
    return { verdict, object: existing ?? object };
  }
}

export { UsageError } from './errors.ts';
