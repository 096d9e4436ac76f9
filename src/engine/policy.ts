// Operator policy: per-rule severities and the strict switch.
import type { Rule, Setting, Severity } from '../rules/rule.ts';
import type { Operation } from '../state/view.ts';
import { DEFAULT_TRANSLATE_CONFIG, type TranslateConfig } from '../translate/config.ts';

export interface Policy {
  translate: TranslateConfig;
  /** Per-rule override of the default severity. */
  rules: Record<string, Setting>;
  /** Dangling references (may not exist yet) deny instead of warn. */
  strict: boolean;
  /** Namespaces whose objects are never judged. */
  ignoreNamespaces: string[];
  /** Custom plugins installed in Kong (accepted by unknown-plugin). */
  customPlugins: string[];
}

export const DEFAULT_POLICY: Policy = { translate: DEFAULT_TRANSLATE_CONFIG, rules: {}, strict: false, ignoreNamespaces: [], customPlugins: [] };

export function severityOf(policy: Policy, rule: Rule): Setting {
  const configured = policy.rules[rule.id];
  if (configured) return configured;
  return rule.dangling && policy.strict ? 'deny' : rule.severity;
}

/** The severity of a finding a change introduces: order-sensitive rules only warn on CREATE unless strict. */
export function introducedSeverity(policy: Policy, rule: Rule, severity: Severity, operation: Operation): Severity {
  return severity === 'deny' && operation === 'CREATE' && rule.orderSensitiveOnCreate && !policy.strict ? 'warn' : severity;
}

