// The state a one-shot command reads: manifest files (--state, repeatable) or the live cluster (--kubeconfig,
// default), listed once by the informers and then stopped. Shared by `problems` and `trace`.
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { startInformers, type InformerStatus } from '../state/informers.ts';
import type { ResolvedKubeConfig } from '../state/kubeconfig.ts';
import { loadManifests, type LoadProblem } from '../state/manifests.ts';
import { Store } from '../state/store.ts';
import type { CheckIO } from './check.ts';
import { UsageError } from './errors.ts';
import { liveSource } from './live.ts';
import { problemLines } from './output.ts';

export interface LoadedState {
  store: Store;
  /** Files and documents that could not be read (already printed on stderr). */
  problems: LoadProblem[];
  /** Set when the live caches did not fill in time: the command should stop with this message (exit 2). */
  notSynced?: string;
}

/** One line: which API server, from where, and why the caches are incomplete (a reason shared by all kinds once). */
function notSyncedText(api: ResolvedKubeConfig, status: InformerStatus[], timeout: number): string {
  const pending = status.filter((s) => s.enabled && !s.listed);
  const reasons = [...new Set(pending.map((s) => s.reason ?? 'no answer yet'))];
  const why = reasons.length === 1 ? `${reasons[0]} (${pending.length === status.length ? 'every kind' : pending.map((s) => s.kind).join(', ')})` : pending.map((s) => `${s.kind}: ${s.reason ?? 'no answer yet'}`).join('; ');
  return `the API server at ${api.server} (${api.source}) did not give a complete state within ${timeout}s: ${why}`;
}

export interface StateSource {
  state?: string[];
  kubeconfig?: string;
  timeoutSeconds: number;
}

/** A command's --state, --kubeconfig and --sync-timeout flags, checked: where loadState reads from. */
export function stateSourceOf(command: string, values: { state?: string[] | undefined; kubeconfig?: string | undefined; 'sync-timeout'?: string | undefined }): StateSource {
  if (values.state && values.kubeconfig) throw new UsageError(`${command} takes --state or --kubeconfig, not both`);
  const timeoutSeconds = Number(values['sync-timeout']);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`${command}: --sync-timeout must be a positive number of seconds`);
  return { ...(values.state ? { state: values.state } : {}), ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}), timeoutSeconds };
}

export async function loadState(command: string, source: StateSource, io: CheckIO): Promise<LoadedState> {
  const store = new Store();
  if (source.state) {
    const loaded = await loadManifests(source.state);
    io.stderr(problemLines(loaded.problems));
    for (const o of loaded.objects) store.upsert(o.object);
    return { store, problems: loaded.problems };
  }
  const api = liveSource(command, source.kubeconfig);
  // Informer warnings would repeat, per kind, what the one line below says.
  const informers = await startInformers({ kubeConfig: api.kubeConfig, store, logger: pino({ level: 'error' }, pino.destination(2)) });
  const deadline = Date.now() + source.timeoutSeconds * 1000;
  while (!informers.ready() && Date.now() < deadline) await sleep(100);
  const synced = informers.ready();
  await informers.stop();
  return synced ? { store, problems: [] } : { store, problems: [], notSynced: notSyncedText(api, informers.status(), source.timeoutSeconds) };
}
