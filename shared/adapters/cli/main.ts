import '../../runtime/local-process.js';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';

/** A subcommand module in ./commands exports `register(program)`; each capability adds its own file. */
export interface CliCommandModule {
  register(program: Command): void;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command()
    .name('territory-router')
    .description('Lead routing, capacity top-up, bulk reassignment and territory planning for Salesforce')
    .version('0.1.0')
    .showHelpAfterError();
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as Partial<CliCommandModule>;
    mod.register?.(program);
  }
  return program;
}

/** Run the CLI; returns the exit code instead of exiting so tests can drive it in-process. */
export async function runCli(argv: string[]): Promise<number> {
  const program = await buildProgram();
  program.exitOverride();
  // In-process runs (tests) must not inherit the previous command's exit code.
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && /territory-router(\.js)?$|cli[/\\]main\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  process.exitCode = await runCli(process.argv.slice(2));
}
