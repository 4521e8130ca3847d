// Entry point of the `casenote-audit` command.
import { COMMANDS } from './commands';
import { Output } from './output';
import { bundledPack } from '../host/rulePack';

export async function main(argv: string[], out: Output): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    out.stdout(help());
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === '-v') {
    out.stdout(`casenote-audit ${bundledPack().version}\n`);
    return 0;
  }
  const c = COMMANDS[cmd];
  if (!c) return out.usage(`unknown command "${cmd}"`, help());
  return c.run(rest, out);
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return `Usage: casenote-audit <command> [options]

Audits the language of child-protection case notes against the Safe & Together model.
Nothing leaves this machine.

Commands:
${Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`).join('\n')}

Run casenote-audit <command> --help for a command's options.
`;
}

if (require.main === module) {
  main(process.argv.slice(2), Output.forProcess()).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`casenote-audit: internal error: ${(e as Error).stack ?? e}\n`); process.exitCode = 2; },
  );
}
