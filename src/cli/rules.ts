// `ingress-guard rules [ID]`: the catalogue, from the same table the engine runs.
import { KONG_BASE } from '../rules/example-base.ts';
import { RULES, ruleById } from '../rules/index.ts';
import type { CheckIO } from './check.ts';
import { UsageError } from './check.ts';

export function runRules(argv: string[], io: CheckIO): number {
  const [id] = argv.filter((a) => !a.startsWith('-'));
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout('Usage: ingress-guard rules [RULE-ID]\n\nLists every rule (id, default severity, summary), or explains one.\n');
    return 0;
  }
  if (id) {
    const rule = ruleById(id);
    if (!rule) throw new UsageError(`no rule "${id}"; run "ingress-guard rules" for the list`);
    io.stdout(`${rule.id} (default: ${rule.severity}${rule.dangling ? ', deny with strict' : ''})\n\n${rule.summary}\n\n${rule.explanation}\n`);
    if (rule.examples) {
      io.stdout(`\nFails (this state has the problem):\n\n${indent(rule.examples.bad)}\nPasses (the closest state without it):\n\n${indent(rule.examples.good)}`);
    }
    return 0;
  }
  const width = Math.max(...RULES.map((r) => r.id.length));
  for (const r of RULES) io.stdout(`${r.id.padEnd(width)}  ${r.severity.padEnd(4)}  ${r.summary}\n`);
  return 0;
}

/** The shared base objects are named rather than repeated in every example. */
function indent(yaml: string): string {
  const own = yaml.startsWith(KONG_BASE) ? yaml.slice(KONG_BASE.length) : yaml;
  const note = own === yaml ? '' : '    # plus the base: IngressClass kong (default), GatewayClass and Gateway kong, Service default/echo\n';
  return note + own.trim().split('\n').map((l) => `    ${l}`).join('\n') + '\n';
}
