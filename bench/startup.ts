// Command-line start-up: wall time and peak RSS of `check` on one small directory and of `rules`, measured
// against `node -e 0` in the same run (the runtime's own floor on this machine, at this moment). Peak RSS
// comes from GNU time (%M) when /usr/bin/time exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const TIME = '/usr/bin/time';

export interface StartupRow {
  command: string;
  /** What ran: the build (dist/, after `npm run build`) or the TypeScript sources (Node's type stripping). */
  entry: 'dist' | 'source' | 'node';
  runs: number;
  wall_ms_median: number;
  wall_ms_min: number;
  /** Peak resident set size, the median over the runs (null without GNU time). */
  peak_rss_bytes: number | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function timed(args: string[], runs: number): { wall: number[]; rss: number[] } {
  const wall: number[] = [];
  const rss: number[] = [];
  const gnuTime = existsSync(TIME);
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = gnuTime
      ? spawnSync(TIME, ['-f', 'peak-rss-kib %M', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8' })
      : spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    wall.push(performance.now() - t0);
    if (res.status !== 0 && res.status !== 1) throw new Error(`${args.join(' ')} exited ${res.status}: ${res.stderr}`);
    const m = /peak-rss-kib (\d+)/.exec(res.stderr ?? '');
    if (m) rss.push(Number(m[1]) * 1024);
  }
  return { wall, rss };
}

/** `node -e 0`, `check examples/cluster` and `rules`, each `runs` times (after one unmeasured run to warm the file cache). */
export function measureStartup(runs: number): StartupRow[] {
  const dist = join(ROOT, 'dist', 'cli', 'main.js');
  const entry = existsSync(dist) ? 'dist' : 'source';
  const main = entry === 'dist' ? 'dist/cli/main.js' : 'src/cli/main.ts';
  const commands: [string, 'dist' | 'source' | 'node', string[]][] = [
    ['node -e 0', 'node', ['-e', '0']],
    [`check examples/cluster`, entry, [main, 'check', 'examples/cluster']],
    ['rules', entry, [main, 'rules']],
  ];
  return commands.map(([command, from, args]) => {
    timed(args, 1);
    const { wall, rss } = timed(args, runs);
    return { command, entry: from, runs, wall_ms_median: median(wall), wall_ms_min: Math.min(...wall), peak_rss_bytes: rss.length ? median(rss) : null };
  });
}
