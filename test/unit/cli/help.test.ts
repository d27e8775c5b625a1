import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../../shared/adapters/cli/main.js';

interface Node {
  path: string;
  command: Command;
}

let program: Command;
let commands: Node[];

function walk(command: Command, path: string[]): Node[] {
  return [
    { path: path.join(' ') || '(root)', command },
    ...command.commands.flatMap((c) => walk(c, [...path, c.name()])),
  ];
}

/** Every long flag a command accepts, with the ones it inherits (--help on every command). */
function flagsOf(command: Command): Set<string> {
  const flags = new Set(['--help']);
  for (const o of command.options) {
    if (o.long) flags.add(o.long);
    // `--no-wait` declares `--wait` too; README may mention either.
    if (o.long?.startsWith('--no-')) flags.add(`--${o.long.slice(5)}`);
  }
  return flags;
}

beforeAll(async () => {
  program = await buildProgram();
  commands = walk(program, []);
}, 120_000);

describe('the CLI help', () => {
  it("lists each command's real options and subcommands, each with a description", () => {
    for (const { path, command } of commands) {
      const help = command.helpInformation();
      expect(command.description(), path).not.toBe('');
      for (const option of command.options) {
        expect(help, `${path} ${option.flags}`).toContain(option.flags);
        expect(option.description, `${path} ${option.flags}`).not.toBe('');
      }
      for (const sub of command.commands) expect(help, `${path} → ${sub.name()}`).toContain(sub.name());
    }
  });

  it('gives every command that prints data a --json option', () => {
    const leaves = commands.filter((c) => c.command.commands.length === 0);
    expect(leaves.length).toBeGreaterThan(10);
    const withoutJson = leaves.filter((c) => !flagsOf(c.command).has('--json')).map((c) => c.path);
    expect(withoutJson).toEqual([]);
  });

  it('mentions in descriptions only options the command has', () => {
    for (const { path, command } of commands) {
      const texts = [command.description(), ...command.options.map((o) => o.description)];
      const mentioned = texts.flatMap((t) => t.match(/--[a-z][a-z-]+/g) ?? []);
      const known = new Set([...flagsOf(command), ...(command.parent ? flagsOf(command.parent) : [])]);
      for (const flag of mentioned) expect(known.has(flag), `${path} mentions ${flag}`).toBe(true);
    }
  });

  it('matches every `territory-router …` line in the README: the commands and options exist', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const lines = readme.split('\n').filter((l) => /territory-router [a-z]/.test(l));
    expect(lines.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const line of lines) {
      const invocation = line.slice(line.indexOf('territory-router ') + 'territory-router '.length);
      // Up to a shell comment, a pipe into another tool, or the end of inline code.
      const words = invocation
        .split(/\s+#|`|\s\|\s/)[0]!
        .trim()
        .split(/\s+/);
      let command = program;
      const path: string[] = [];
      for (const word of words) {
        const sub = command.commands.find((c) => c.name() === word);
        if (!sub) break;
        command = sub;
        path.push(word);
      }
      if (path.length === 0) {
        problems.push(`no command in: ${line.trim()}`);
        continue;
      }
      const flags = flagsOf(command);
      for (const word of words) {
        const flag = word.replace(/^\[/, '').match(/^--[a-z][a-z-]*/)?.[0];
        if (flag && !flags.has(flag)) problems.push(`${path.join(' ')} has no ${flag}: ${line.trim()}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
