// Where the CLI writes. Injected so commands can be tested in-process without spawning.

/**
 * Control characters other than tab and line breaks, and escape sequences other than the colours
 * paint() writes. File names, note text (names in messages) and rule files come from untrusted
 * workspaces; written raw, ESC ] 52 could set the clipboard, ESC [ 2J clear the screen, CR
 * overwrite a line to hide a finding.
 */
const UNSAFE = /\u001b(?!\[(?:3[1-4]|90|39|2|1|22)m)|\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f-\u009f]/g;

/**
 * What the CLI writes, with unsafe control characters shown as \uXXXX. In JSON output that is the
 * JSON escape of the same character, so documents keep their meaning.
 */
export function neutralise(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export type Colour = 'red' | 'yellow' | 'blue' | 'grey' | 'green' | 'dim' | 'bold';
const CODES: Record<Colour, [number, number]> = {
  red: [31, 39], yellow: [33, 39], blue: [34, 39], grey: [90, 39], green: [32, 39], dim: [2, 22], bold: [1, 22],
};

export class Output {
  /** Writes to this process's own standard output and error (not to a test's capture). */
  isProcess = false;

  constructor(
    readonly stdout: (s: string) => void,
    readonly stderr: (s: string) => void,
    public color: boolean,
  ) {}

  static forProcess(): Output {
    // `casenote-audit check ... | head`: once the reader has gone there is no one to write to.
    // Node reports that as an unhandled 'error' with a stack trace; a command-line tool stops
    // quietly instead, as it would on SIGPIPE (which Node ignores).
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
        process.exit(process.exitCode ?? 0);
      });
    }
    const tty = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
    const out = new Output((s) => process.stdout.write(neutralise(s)), (s) => process.stderr.write(neutralise(s)), tty);
    out.isProcess = true;
    return out;
  }

  paint(c: Colour, s: string): string {
    if (!this.color) return s;
    const [a, b] = CODES[c];
    return `\u001b[${a}m${s}\u001b[${b}m`;
  }

  /** Prints a usage error and returns the usage exit code. */
  usage(message: string, help: string): number {
    this.stderr(`casenote-audit: ${message}\n\n${help}\n`);
    return 2;
  }
}

/**
 * "path:line: reason" for an input or rule-file error. Rule problems carry "LINE:COLUMN: FIELD:
 * MESSAGE" in their message; joined as path:line:column they are clickable in terminals and editors.
 */
export function errorLine(e: { path: string; line?: number; message: string }): string {
  if (e.line) return `${e.path}:${e.line}: ${e.message}`;
  return /^\d+:\d+: /.test(e.message) ? `${e.path}:${e.message}` : `${e.path}: ${e.message}`;
}

/**
 * Writes `value` as JSON.stringify(value, null, 2) would, but in pieces: a note of tens of MB
 * can have a million findings, and one string of the whole document would exceed V8's string
 * limit ("Invalid string length") long before memory runs out. Pieces are batched to 64 KB.
 */
export function writeJson(value: unknown, write: (s: string) => void): void {
  let buf = '';
  const emit = (s: string) => {
    buf += s;
    if (buf.length >= 65536) { write(buf); buf = ''; }
  };
  const walk = (v: unknown, indent: string): void => {
    if (Array.isArray(v)) {
      if (v.length === 0) { emit('[]'); return; }
      const inner = indent + '  ';
      emit('[');
      v.forEach((x, i) => {
        emit(`${i === 0 ? '' : ','}\n${inner}`);
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') emit('null');
        else walk(x, inner);
      });
      emit(`\n${indent}]`);
    } else if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
      const inner = indent + '  ';
      let first = true;
      emit('{');
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        emit(`${first ? '' : ','}\n${inner}${JSON.stringify(k)}: `);
        first = false;
        walk(x, inner);
      }
      emit(first ? '}' : `\n${indent}}`);
    } else {
      emit(JSON.stringify(v, null, 2).replace(/\n/g, '\n' + indent));
    }
  };
  walk(value, '');
  emit('\n');
  if (buf) write(buf);
}
