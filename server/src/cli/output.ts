// Where the CLI writes. Injected so commands can be tested in-process without spawning.

export type Colour = 'red' | 'yellow' | 'blue' | 'grey' | 'green' | 'dim' | 'bold';
const CODES: Record<Colour, [number, number]> = {
  red: [31, 39], yellow: [33, 39], blue: [34, 39], grey: [90, 39], green: [32, 39], dim: [2, 22], bold: [1, 22],
};

export class Output {
  constructor(
    readonly stdout: (s: string) => void,
    readonly stderr: (s: string) => void,
    public color: boolean,
  ) {}

  static forProcess(): Output {
    const tty = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
    return new Output((s) => process.stdout.write(s), (s) => process.stderr.write(s), tty);
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
