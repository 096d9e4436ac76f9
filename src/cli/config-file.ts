// The configuration file named by --config: read and parsed here, at the edge; engine/policy-config.ts
// turns the document into a Policy.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError, policyFromConfig } from '../engine/policy-config.ts';
import { DEFAULT_POLICY, type Policy } from '../engine/policy.ts';

/** Parses and validates a configuration file's text; the policy is the defaults with the file applied. */
export function parseConfig(text: string, source: string): Policy {
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (err) {
    throw new ConfigError(`${source}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return policyFromConfig(data, source);
}

/** The policy for a command: defaults, then the file (if any), then flags, which win. */
export function policyFrom(file: string | undefined, flags: { ingressClass?: string | undefined; strict?: boolean | undefined }): Policy {
  let policy = DEFAULT_POLICY;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read configuration file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    policy = parseConfig(text, file);
  }
  return {
    ...policy,
    strict: flags.strict || policy.strict,
    translate: { ...policy.translate, ...(flags.ingressClass ? { ingressClass: flags.ingressClass } : {}) },
  };
}
