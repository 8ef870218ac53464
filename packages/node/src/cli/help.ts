/**
 * `--help` texts: the usage line, the summary, flags with their defaults and environment
 * variables, and examples.
 * @module
 */
import { envVarName } from './args.ts';
import type { CommandSpec } from './command.ts';
import { usageError } from './errors.ts';
import type { CommandRegistry } from './registry.ts';

/** The binary's name. */
export const PROGRAM = 'ethp2p';

const ENV_NOTE =
  'Flags shown with [ETHP2P_...] can also be set in the environment: --foo.bar-baz as ETHP2P_FOO_BAR_BAZ.\n' +
  'A flag on the command line wins over the environment.';

/** The usage line of a command: `ethp2p key to-enode <file> [options]`. */
export function usageLine(spec: CommandSpec): string {
  const args = spec.args.map((a) => {
    const name = a.rest === true ? `${a.name}...` : a.name;
    return a.required ? `<${name}>` : `[${name}]`;
  });
  const options = Object.keys(spec.options).length > 0 ? ['[options]'] : [];
  return [PROGRAM, ...spec.path, ...args, ...options].join(' ');
}

/** The full help of a command. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`Usage: ${usageLine(spec)}`, '', spec.summary];
  if (spec.description !== undefined) lines.push('', spec.description);
  if (spec.args.length > 0) {
    lines.push('', 'Arguments:');
    lines.push(...table(spec.args.map((a) => [a.name, a.description])));
  }
  const rows: [string, string][] = Object.entries(spec.options).map(([name, o]) => {
    const short = o.short === undefined ? '' : `-${o.short}, `;
    const value = o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : '';
    const dflt = o.default === undefined ? '' : ` (default ${o.default})`;
    const variable = o.env === false ? '' : ` [${envVarName(name)}]`;
    return [`${short}--${name}${value}`, `${o.description}${dflt}${variable}`];
  });
  rows.push(['-h, --help', 'show this help']);
  lines.push('', 'Options:', ...table(rows));
  if (Object.keys(spec.options).length > 0) lines.push('', ENV_NOTE);
  lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

/** The help of a group (the root group is the whole program). */
export function groupHelp(registry: CommandRegistry, path: readonly string[]): string {
  const name = [PROGRAM, ...path].join(' ');
  const group = registry.group(path);
  const lines = [`Usage: ${name} <command> [arguments] [options]`];
  if (group !== undefined) lines.push('', group.summary);
  const children = registry.children(path);
  lines.push('', 'Commands:', ...table(children.map((c) => [c.name, c.summary])));
  lines.push('', `Run '${name} <command> --help' for a command's arguments, options and examples.`);
  lines.push(ENV_NOTE);
  const examples = group?.examples ?? firstExamples(registry, path);
  if (examples.length > 0) lines.push('', 'Examples:', ...examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

function firstExamples(registry: CommandRegistry, path: readonly string[]): string[] {
  const prefix = path.join(' ');
  return registry.commands
    .filter((c) => c.path.slice(0, path.length).join(' ') === prefix)
    .flatMap((c) => c.examples.slice(0, 1))
    .slice(0, 4);
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd());
}

/**
 * `ethp2p help [command] [subcommand]`: the program's help, a group's or a command's (the same
 * text as `--help`). `registry` gives the registry the command is in.
 */
export function helpCommand(registry: () => CommandRegistry): CommandSpec {
  return {
    path: ['help'],
    summary: 'List the commands, or print the help of one (the same as its --help)',
    args: [
      { name: 'command', required: false, description: 'a command or group, e.g. discv4' },
      { name: 'subcommand', required: false, description: 'a command of that group, e.g. ping' },
    ],
    options: {},
    examples: ['ethp2p help', 'ethp2p help node', 'ethp2p help discv4 crawl'],
    async run(ctx) {
      const commands = registry();
      const resolved = commands.resolve(ctx.args);
      const [extra] = resolved.rest;
      if (extra !== undefined) {
        const path = resolved.kind === 'command' ? resolved.spec.path : resolved.path;
        throw usageError(`unknown command '${[...path, extra].join(' ')}'`);
      }
      ctx.io.stdout.write(
        resolved.kind === 'command'
          ? commandHelp(resolved.spec)
          : groupHelp(commands, resolved.path),
      );
    },
  };
}
