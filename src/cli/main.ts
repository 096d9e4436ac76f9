#!/usr/bin/env node
// ingress-guard command line: dispatches to one command per face of the engine.
import { ConfigError } from '../engine/config-file.ts';
import { runCerts } from './certs.ts';
import { CHECK_HELP, runCheck, UsageError } from './check.ts';
import { KubeConfigUsageError } from './live.ts';
import { runProblems } from './problems.ts';
import { runRules } from './rules.ts';
import { runServe, SERVE_HELP } from './serve.ts';
import { runTranslate } from './translate.ts';

const HELP = `Usage: ingress-guard COMMAND [options]

Admission checks for Kong Ingress Controller clusters.

Commands:
  certs      generate a CA and the webhook's serving certificate (and caBundle)
  check      judge manifest files (whole state, or changes against a state)
  problems   what KIC's fallback would exclude from a state (broken objects and dependants)
  rules      list the rules, or explain one: ingress-guard rules RULE-ID
  serve      run the validating admission webhook (HTTPS) and its diagnostics
  translate  print the Kong configuration KIC would build from manifests

Run "ingress-guard COMMAND --help" for a command's options.
`;

const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
  stdin: process.stdin,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'certs':
      return runCerts(rest, io);
    case 'check':
      return runCheck(rest, io);
    case 'problems':
      return runProblems(rest, io);
    case 'rules':
      return runRules(rest, io);
    case 'serve':
      return runServe(rest, io);
    case 'translate':
      return runTranslate(rest, io);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout(HELP);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`ingress-guard: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`ingress-guard: ${error.message}\n${error instanceof UsageError && error.message.startsWith('check') ? CHECK_HELP : error instanceof UsageError && !(error instanceof KubeConfigUsageError) && error.message.startsWith('serve') ? SERVE_HELP : ''}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`ingress-guard: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 3;
    }
  },
);
