// Which API server the live state comes from: `--kubeconfig`, else KUBECONFIG, else the in-cluster service
// account, else ~/.kube/config (kubectl's order, in-cluster before the home file as client-go's loaders do).
// Every failure is one line naming what was tried; the CLI turns it into a usage error (exit 2).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export class KubeConfigError extends Error {}

export interface ResolvedKubeConfig {
  kubeConfig: KubeConfig;
  /** Where it came from, for messages: `kubeconfig /path`, `KUBECONFIG a:b`, `in-cluster service account`. */
  source: string;
  /** The API server's URL (without credentials). */
  server: string;
}

/** A loader's error, first line only: YAML errors go on to quote the file, and a kubeconfig holds tokens. */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? '').slice(0, 200);
}

function load(source: string, fill: (kc: KubeConfig) => void): ResolvedKubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    fill(kubeConfig);
  } catch (err) {
    throw new KubeConfigError(`${source} is not a usable kubeconfig: ${reason(err)}`);
  }
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) {
    const context = kubeConfig.getCurrentContext();
    throw new KubeConfigError(`${source} names no API server: ${context ? `its current context "${context}" has no cluster with a server` : 'it has no current context'}`);
  }
  return { kubeConfig, source, server: displayUrl(server) };
}

/** The server URL as messages show it: without user:password@, should a kubeconfig carry one. */
export function displayUrl(server: string): string {
  try {
    const url = new URL(server);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return server.replace(/\/\/[^/@]*@/, '//');
  }
}

export function resolveKubeConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedKubeConfig {
  if (path) {
    if (!existsSync(path)) throw new KubeConfigError(`no kubeconfig found at ${path}`);
    return load(`kubeconfig ${path}`, (kc) => kc.loadFromFile(path));
  }
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (listed.length > 0) {
    const missing = listed.filter((f) => !existsSync(f));
    if (missing.length) throw new KubeConfigError(`no kubeconfig found at ${missing.join(', ')} (from KUBECONFIG)`);
    return load(`KUBECONFIG ${listed.join(delimiter)}`, (kc) => {
      kc.loadFromFile(listed[0]!);
      for (const file of listed.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(file);
        kc.mergeConfig(more, kc.getCurrentContext() !== ''); // as kubectl: the first current-context set wins
      }
    });
  }
  if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) return load('in-cluster service account', (kc) => kc.loadFromCluster());
  const home = join(env.HOME || homedir(), '.kube', 'config');
  if (existsSync(home)) return load(`kubeconfig ${home}`, (kc) => kc.loadFromFile(home));
  const cluster = env.KUBERNETES_SERVICE_HOST ? `not in a cluster (no service account token at ${IN_CLUSTER_TOKEN})` : 'not in a cluster (KUBERNETES_SERVICE_HOST is not set)';
  throw new KubeConfigError(`no kubeconfig found at ${home} (KUBECONFIG is not set); ${cluster}`);
}
