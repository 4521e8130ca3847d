// When the language server process dies, the client restarts it, but not for ever: a server
// that crashes again at once (a bad rule folder, a corrupt install) would otherwise restart in
// a loop and hide the problem. No vscode import, so the policy is unit-tested on its own.

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    /** Restarts allowed within the window; the next crash in it stops the server for good. */
    readonly maxRestarts = 4,
    readonly windowMs = 3 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash; true when the server should be restarted. */
  crashed(): boolean {
    const t = this.now();
    this.crashes = this.crashes.filter((c) => t - c < this.windowMs);
    this.crashes.push(t);
    return this.crashes.length <= this.maxRestarts;
  }

  /** Crashes in the current window (for the message). */
  get recent(): number {
    return this.crashes.length;
  }

  /** The user restarted the server by hand: start counting again. */
  reset(): void {
    this.crashes = [];
  }
}
