// `ingress-guard rules [ID]`: the catalogue, from the same table the engine runs.
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
    return 0;
  }
  const width = Math.max(...RULES.map((r) => r.id.length));
  for (const r of RULES) io.stdout(`${r.id.padEnd(width)}  ${r.severity.padEnd(4)}  ${r.summary}\n`);
  return 0;
}
