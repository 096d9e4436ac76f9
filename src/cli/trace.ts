// `ingress-guard trace URL`: which Kong route serves a request, why, and what Kong answers, from manifests or the
// live cluster, translated as KIC does (src/trace).
import { parseArgs } from 'node:util';
import { policyFrom } from './config-file.ts';
import type { CheckIO } from './check.ts';
import { UsageError } from './check.ts';
import { EXIT } from './output.ts';
import { loadState, stateSourceOf } from './state-source.ts';
import { Translator } from '../translate/translator.ts';
import { headerLines, traceRequest, TraceInputError, type TraceRequest } from '../trace/trace.ts';
import { traceJson, traceText } from '../trace/render.ts';

export const TRACE_HELP = `Usage: ingress-guard trace [options] URL

Answers which Kong route serves a request and why it beats the other routes that match
(Kong 3.9's real priority, ties broken by the route IDs KIC gives), the Kubernetes objects
it comes from, the Kong service, upstream and ready targets, the plugins that run, and what
Kong answers: proxied, 401 without a credential, 426 or a redirect for an https-only route,
415 for a gRPC route, 500 when no backendRef is usable, 503 without ready targets (or when they all weigh 0), or 404
"no Route matched with those values" with the nearest routes and what each does not match,
plus the objects that give Kong no route (another class, not our Gateway, refused by KIC).

Options:
  -X, --request METHOD     request method (default: GET)
  -H, --header 'N: V'      a request header (repeatable; Host: overrides the URL's host)
  --sni NAME               TLS server name (default for https: the URL's host)
  --state PATH             the state from manifest files or directories (repeatable)
  --kubeconfig FILE        the live cluster (default without --state: KUBECONFIG, then in-cluster)
  --sync-timeout SEC       with a live cluster, how long to wait for the caches (default: 60)
  --router-flavor NAME     Kong's router_flavor: traditional_compatible or expressions (default: the configuration's kongRouterFlavor, else traditional_compatible)
  --priority MODEL         computed (default: the priority Kong 3.x really computes) or documented
                           (Kong's documented traditional_compatible order); the text says when they pick different routes
  --output text|json       output format (default: text)
  --ingress-class NAME     KIC's ingress class (default: kong)
  --config FILE            configuration file (YAML)
  -h, --help               this help

Exit status: 0 when a route serves the request, 1 when none does (Kong answers 404), 2 on
usage errors and when a file, a document or the cluster cannot be read, 3 on an internal error.
`;

export async function runTrace(argv: string[], io: CheckIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      request: { type: 'string', short: 'X', default: 'GET' },
      header: { type: 'string', short: 'H', multiple: true },
      sni: { type: 'string' },
      state: { type: 'string', multiple: true },
      kubeconfig: { type: 'string' },
      'sync-timeout': { type: 'string', default: '60' },
      'router-flavor': { type: 'string' },
      priority: { type: 'string', default: 'computed' },
      output: { type: 'string', default: 'text' },
      'ingress-class': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(TRACE_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `trace takes one URL, not ${positionals.length}` : 'trace needs a URL, e.g. ingress-guard trace --state DIR http://example.com/path');
  if (values.output !== 'text' && values.output !== 'json') throw new UsageError(`trace: --output must be text or json, not "${values.output}"`);
  const priority = values.priority;
  if (priority !== 'computed' && priority !== 'documented') throw new UsageError(`trace: --priority must be computed or documented, not "${priority}"`);
  const source = stateSourceOf('trace', values);
  const policy = policyFrom(values.config, { ingressClass: values['ingress-class'] });
  // The flag, else the configuration's kongRouterFlavor (Kong's default traditional_compatible).
  const flavor = values['router-flavor'] ?? policy.translate.kongRouterFlavor;
  if (flavor !== 'traditional_compatible' && flavor !== 'expressions') {
    throw new UsageError(`trace: the router flavor must be traditional_compatible or expressions, not "${flavor}" (Kong's traditional router orders routes otherwise, and is not modelled)`);
  }
  let request: TraceRequest;
  try {
    request = { url: positionals[0]!, method: values.request, headers: headerLines(values.header ?? []), ...(values.sni !== undefined ? { sni: values.sni } : {}) };
  } catch (err) {
    if (err instanceof TraceInputError) throw new UsageError(`trace: -H: ${err.message}`);
    throw err;
  }

  const { store, problems, notSynced } = await loadState('trace', source, io);
  if (notSynced) {
    io.stderr(`error: ${notSynced}\n`);
    return EXIT.input;
  }
  const tr = new Translator(store, { ...policy.translate, kongRouterFlavor: flavor });
  let trace;
  try {
    trace = traceRequest(tr, request, priority);
  } catch (err) {
    if (err instanceof TraceInputError) throw new UsageError(`trace: ${err.message}`);
    throw err;
  }
  io.stdout(values.output === 'json' ? JSON.stringify(traceJson(trace), undefined, 2) + '\n' : traceText(trace));
  if (problems.length) return EXIT.input;
  return trace.outcome.status === 404 && !trace.resolution.winner ? EXIT.denied : EXIT.ok;
}
