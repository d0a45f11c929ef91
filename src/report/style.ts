// Colour for text reports: whether to use it (flag, NO_COLOR, FORCE_COLOR, terminal) and
// what it looks like (gcc's defaults: bold locus, red errors, magenta warnings, cyan notes,
// green caret). Without colour every style is the identity, so plain output is unchanged.
import { createRequire } from 'node:module';
import type { Severity } from './diagnostic.js';

/** chalk, loaded the first time colour is wanted: importing it costs every command ~7 ms of
 *  start-up, colour or not. (Node >= 20.19 requires an ES module synchronously; an older
 *  Node cannot, and then the text stays plain.) */
function loadChalk(): typeof import('chalk') | undefined {
  try {
    return createRequire(import.meta.url)('chalk') as typeof import('chalk');
  } catch {
    return undefined;
  }
}

export interface ColorChoice {
  /** --color (true) / --no-color (false); absent when neither was given */
  flag?: boolean;
  /** whether the stream the report goes to is a terminal */
  isTTY?: boolean;
  /** the environment to read (default: this process's) */
  env?: NodeJS.ProcessEnv;
}

/**
 * An explicit flag wins; then NO_COLOR (any non-empty value, no-color.org) turns colour off;
 * then FORCE_COLOR turns it on, except `0` and `false` which turn it off (as chalk's
 * supports-color reads it; an empty value means on); else colour on a terminal whose TERM
 * is not `dumb`, never in a pipe or file.
 */
export function colorEnabled(opts: ColorChoice): boolean {
  if (opts.flag !== undefined) return opts.flag;
  const env = opts.env ?? process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return opts.isTTY === true && env.TERM !== 'dumb';
}

export interface TextStyle {
  /** `file:line:col:` */
  locus(s: string): string;
  /** the severity word (`error:`), and the rule tag after the message */
  severity(sev: Severity | 'note', s: string): string;
  message(s: string): string;
  /** `^~~~` under the excerpt */
  caret(s: string): string;
}

const identity = (s: string) => s;
const PLAIN: TextStyle = { locus: identity, severity: (_sev, s) => s, message: identity, caret: identity };

/** The styles of `renderText`: identities without colour, chalk's basic 16 colours with it
 *  (whatever the stream: the caller has decided with `colorEnabled`). */
export function textStyle(color: boolean | undefined): TextStyle {
  const chalk = color ? loadChalk() : undefined;
  if (!chalk) return PLAIN;
  const c = new chalk.Chalk({ level: 1 });
  const bySeverity: Record<Severity | 'note', (s: string) => string> = {
    error: c.bold.red, warning: c.bold.magenta, info: c.bold.cyan, note: c.bold.cyan,
  };
  return { locus: c.bold, severity: (sev, s) => bySeverity[sev](s), message: c.bold, caret: c.green };
}
