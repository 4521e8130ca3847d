// A small, strict argument parser: unknown options are usage errors (exit 2), not ignored.

export class UsageError extends Error {}

export interface OptionSpec {
  /** Takes a value (--rules DIR); otherwise a boolean flag. */
  value?: boolean;
  /** May be given more than once (values collect into an array). */
  repeat?: boolean;
  alias?: string;
}

export interface Parsed {
  positional: string[];
  options: Record<string, string | string[] | boolean | undefined>;
}

export function parseArgs(argv: string[], spec: Record<string, OptionSpec>): Parsed {
  const positional: string[] = [];
  const options: Parsed['options'] = {};
  const byAlias = new Map<string, string>();
  for (const [k, v] of Object.entries(spec)) if (v.alias) byAlias.set(v.alias, k);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { positional.push(a); continue; }
    let name: string;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq > 0 ? a.slice(eq + 1) : undefined;
    } else {
      const k = byAlias.get(a.slice(1));
      if (!k) throw new UsageError(`unknown option ${a}`);
      name = k;
    }
    const s = spec[name];
    if (!s && name.startsWith('no-') && spec[name.slice(3)] && !spec[name.slice(3)].value) {
      options[name.slice(3)] = false;
      continue;
    }
    if (!s) throw new UsageError(`unknown option --${name}`);
    let value: string | boolean = true;
    if (s.value) {
      if (inline !== undefined) value = inline;
      else {
        if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
        value = argv[++i];
      }
    } else if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
    if (s.repeat) {
      const list = (options[name] as string[] | undefined) ?? [];
      for (const part of String(value).split(',')) if (part) list.push(part);
      options[name] = list;
    } else options[name] = value;
  }
  return { positional, options };
}

export function listOption(o: Parsed['options'], name: string): string[] {
  const v = o[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function stringOption(o: Parsed['options'], name: string): string | undefined {
  const v = o[name];
  return typeof v === 'string' ? v : undefined;
}
