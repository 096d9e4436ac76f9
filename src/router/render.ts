// A resolution as lines of text, for a terminal or a log: the request as Kong sees it, the winner and why
// it beats each other matching route, or the 404 with the nearest routes and the first reason each fails.
// Routes are named by the caller (`label`), who knows their provenance.
import type { Candidate, Resolution } from './resolve.ts';
import type { RouterRoute } from './route.ts';

const hex = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;

export interface RenderOptions<P> {
  /** How to name a route (default: its Kong name). */
  readonly label?: (route: RouterRoute<P>) => string;
  /** How many near misses to list on a 404 (default 5). */
  readonly nearest?: number;
}

export function renderResolution<P>(res: Resolution<P>, options: RenderOptions<P> = {}): string[] {
  const label = options.label ?? ((r: RouterRoute<P>) => r.name);
  const part = (c: Candidate<P>) => {
    const split = c.part.group === undefined ? '' : ` (split part #${c.part.group}, paths ${JSON.stringify(c.part.paths)})`;
    return `${label(c.part.route)}${split}`;
  };
  const req = res.request;
  const lines = [
    `${req.method} ${req.scheme}://${req.host ?? '(no Host)'}${req.port === (req.scheme === 'https' ? 443 : 80) ? '' : `:${req.port}`}${req.path}` +
      (req.rawPath === req.path ? '' : ` (normalised from ${req.rawPath})`) +
      ` [${res.flavor}]`,
  ];
  if (res.winner) {
    lines.push(`served by ${part(res.winner)}, priority ${hex(res.winner.priority.value)}, route ID ${res.winner.part.id}`);
  } else if (res.possibleWinners.length) {
    lines.push(`undetermined: any of ${res.possibleWinners.map(part).join(', ')} (Kong does not fix their order)`);
  }
  for (const loser of res.shadowed) lines.push(`  over ${part(loser.candidate)}: ${loser.why.message}`);
  if (res.outcome.status !== 'proxied' && res.outcome.status !== 'undetermined') lines.push(`Kong answers ${res.outcome.status} ${res.outcome.message}`);
  if (!res.winner) {
    const nearest = res.notMatching.slice(0, options.nearest ?? 5);
    if (nearest.length) lines.push('nearest routes:');
    for (const c of nearest) lines.push(`  ${part(c)}: ${c.failure?.message ?? ''}`);
  }
  for (const c of res.unevaluable) lines.push(`not evaluated, may match: ${part(c)}: ${c.failure?.message ?? ''}`);
  return lines;
}
