import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parse a command's arguments strictly; an unknown option or a missing value
 * becomes a one-line UserError naming `command` and the options it takes.
 */
export function parseOptions(
  command: string,
  args: string[],
  options: Options,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) {
      const known = Object.keys(options).map((o) => `--${o}`).join(', ');
      throw new UserError('bad_option', `unknown option ${unknown[1]} for ${command} (it takes ${known})`);
    }
    const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
    if (missing) throw new UserError('bad_option', `option ${missing[1]} needs a value`);
    throw new UserError('bad_option', message.split('\n')[0]!);
  }
}
