// `ingress-guard rules [ID]`: the catalogue, from the same table the engine runs.
import { parseArgs } from 'node:util';
import { KONG_BASE } from '../rules/example-base.ts';
import { RULES, ruleById } from '../rules/index.ts';
import type { Rule } from '../rules/rule.ts';
import { didYouMean } from '../rules/text.ts';
import type { CheckIO } from './check.ts';
import { UsageError } from './check.ts';

export const RULES_HELP = `Usage: ingress-guard rules [RULE-ID ...] [--output human|json]

Lists every rule (id, default severity, summary), or explains the ones named, with the
example states in which each finds something and the closest in which it finds nothing.

Options:
  --output human|json    output format (default: human); json carries every field, examples included
  -h, --help             this help
`;

/** A rule as data: what --output json prints (the same fields the human form shows). */
function jsonRule(rule: Rule): Record<string, unknown> {
  return {
    id: rule.id,
    severity: rule.severity,
    strictDenies: Boolean(rule.dangling),
    kongRejects: Boolean(rule.kongRejects),
    summary: rule.summary,
    explanation: rule.explanation,
    ...(rule.examples ? { examples: rule.examples } : {}),
  };
}

export function runRules(argv: string[], io: CheckIO): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { output: { type: 'string', default: 'human' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.stdout(RULES_HELP);
    return 0;
  }
  if (values.output !== 'human' && values.output !== 'json') throw new UsageError(`rules: --output must be human or json, not "${values.output}"`);
  const ids = RULES.map((r) => r.id);
  const chosen = positionals.map((id) => ruleById(id) ?? fail(`rules: no rule "${id}"${didYouMean(id, ids)}; run "ingress-guard rules" for the list`));
  if (values.output === 'json') {
    io.stdout(JSON.stringify({ rules: (chosen.length ? chosen : RULES).map(jsonRule) }, null, 2) + '\n');
    return 0;
  }
  chosen.forEach((rule, i) => {
    if (i > 0) io.stdout('\n');
    io.stdout(`${rule.id} (default: ${rule.severity}${rule.dangling ? ', deny with strict' : ''})\n\n${rule.summary}\n\n${rule.explanation}\n`);
    if (rule.examples?.state !== undefined) {
      io.stdout(
        `\nA change to this state (check --state):\n\n${indent(rule.examples.state)}\nFails (this change has the problem):\n\n${indent(rule.examples.bad)}\nPasses (the closest change without it):\n\n${indent(rule.examples.good)}`,
      );
    } else if (rule.examples) {
      io.stdout(`\nFails (this state has the problem):\n\n${indent(rule.examples.bad)}\nPasses (the closest state without it):\n\n${indent(rule.examples.good)}`);
    }
  });
  if (chosen.length) return 0;
  const width = Math.max(...RULES.map((r) => r.id.length));
  for (const r of RULES) io.stdout(`${r.id.padEnd(width)}  ${r.severity.padEnd(4)}  ${r.summary}\n`);
  return 0;
}

function fail(message: string): never {
  throw new UsageError(message);
}

/** The shared base objects are named rather than repeated in every example. */
function indent(yaml: string): string {
  const own = yaml.startsWith(KONG_BASE) ? yaml.slice(KONG_BASE.length) : yaml;
  const note = own === yaml ? '' : '    # plus the base: IngressClass kong (default), GatewayClass and Gateway kong, Service default/echo\n';
  return note + own.trim().split('\n').map((l) => `    ${l}`).join('\n') + '\n';
}
