// The live cluster a command reads: a kubeconfig that cannot be found or used is an input error (exit 2).
import { KubeConfigError, resolveKubeConfig, type ResolvedKubeConfig } from '../state/kubeconfig.ts';
import { UsageError } from './check.ts';

/** An input error, not a flag mistake: main.ts prints it without pointing at --help. */
export class KubeConfigUsageError extends UsageError {
  override readonly aboutUsage = false;
}

export function liveSource(command: string, path: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedKubeConfig {
  try {
    return resolveKubeConfig(path, env);
  } catch (err) {
    if (err instanceof KubeConfigError) throw new KubeConfigUsageError(`${command}: cannot reach the cluster: ${err.message}`);
    throw err;
  }
}
