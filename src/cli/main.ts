#!/usr/bin/env node
// ingress-guard command line: dispatches to one command per face of the engine.
// Each command's module is imported when it runs: `rules` or `check` never load the Kubernetes client or fastify.
import { UsageError } from './errors.ts';
import { EXIT } from './output.ts';
import { didYouMean } from '../rules/text.ts';

const HELP = `Usage: ingress-guard COMMAND [options]

Admission checks for Kong Ingress Controller clusters.

Commands:
  certs      generate a CA and the webhook's serving certificate (and caBundle)
  check      judge manifest files (whole state, or changes against a state)
  install    print every manifest to run the webhook (| kubectl apply -f -)
  problems   what KIC's fallback would exclude from a state (broken objects and dependants)
  rules      list the rules, or explain one: ingress-guard rules RULE-ID
  serve      run the validating admission webhook (HTTPS) and its diagnostics
  trace      which Kong route serves a request (URL), why, and what Kong answers
  translate  print the Kong configuration KIC would build from manifests

Run "ingress-guard COMMAND --help" for a command's options.
`;

const io = {
  stdout: (text: string) => void (text && process.stdout.write(text)),
  stderr: (text: string) => void (text && process.stderr.write(text)),
  stdin: process.stdin,
};

// A reader that went away (`ingress-guard rules | head`) ends the command quietly, as SIGPIPE ends other
// Unix tools (status 141 = 128 + SIGPIPE), instead of an unhandled 'error' event and a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(141);
    throw error;
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'certs':
      return (await import('./certs.ts')).runCerts(rest, io);
    case 'check':
      return (await import('./check.ts')).runCheck(rest, io);
    case 'install':
      return (await import('./install.ts')).runInstall(rest, io);
    case 'problems':
      return (await import('./problems.ts')).runProblems(rest, io);
    case 'rules':
      return (await import('./rules.ts')).runRules(rest, io);
    case 'serve':
      return (await import('./serve.ts')).runServe(rest, io);
    case 'trace':
      return (await import('./trace.ts')).runTrace(rest, io);
    case 'translate':
      return (await import('./translate.ts')).runTranslate(rest, io);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout(HELP);
      return command === undefined ? EXIT.input : EXIT.ok;
    default:
      throw new UsageError(`unknown command "${command}"${didYouMean(command, COMMANDS)}; run "ingress-guard --help" for the list`);
  }
}

const COMMANDS = [...HELP.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);

/** One line on stderr and a status that cannot be mistaken for a verdict (see EXIT). */
async function report(error: unknown): Promise<number> {
  const { ConfigError } = await import('../engine/policy-config.ts');
  const command = COMMANDS.includes(process.argv[2] ?? '') ? process.argv[2] : undefined;
  const hint = command ? `; run "ingress-guard ${command} --help" for usage` : '';
  if (error instanceof ConfigError) {
    process.stderr.write(`ingress-guard: ${error.message}\n`);
    return EXIT.input;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`ingress-guard: ${error.message}${error.aboutUsage && !error.message.includes('run "ingress-guard') ? hint : ''}\n`);
    return EXIT.input;
  }
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    // node's parseArgs explains itself at length ("To specify an option argument starting with..."): keep its first sentence.
    process.stderr.write(`ingress-guard: ${error.message.split('. ')[0]!.replace(/\.$/, '')}${hint}\n`);
    return EXIT.input;
  }
  const detail = process.env.INGRESS_GUARD_DEBUG ? `\n${error instanceof Error ? error.stack : ''}` : ' (INGRESS_GUARD_DEBUG=1 prints the stack)';
  process.stderr.write(`ingress-guard: internal error: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
  return EXIT.internal;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    process.exitCode = await report(error);
  },
);
