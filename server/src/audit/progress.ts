// The progress bar of the batch audit: files, MB, speed and ETA on one line of a terminal's
// standard error, redrawn at most ten times a second. Nothing is printed when standard error
// is not a terminal (pipes, CI logs, files), so logs stay clean.

import type { AuditProgress } from './run';

export class ProgressBar {
  private readonly started = Date.now();
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream, private readonly label = 'audit') {}

  static forStderr(enabled: boolean | undefined, label?: string): ProgressBar | undefined {
    const on = enabled ?? (process.stderr.isTTY === true && !process.env.CI);
    return on && process.stderr.isTTY ? new ProgressBar(process.stderr, label) : undefined;
  }

  update(p: AuditProgress): void {
    const secs = (Date.now() - this.started) / 1000;
    const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
    const mb = (n: number) => (n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0);
    const speed = secs > 0.5 ? p.bytesDone / 1048576 / secs : 0;
    const eta = speed > 0 && frac > 0.01 ? ((p.bytesTotal - p.bytesDone) / 1048576) / speed : undefined;
    const cols = this.stream.columns || 80;
    // the most useful pieces first; the rest only when the terminal is wide enough
    const pieces = [`${(frac * 100).toFixed(0).padStart(3)}%`, `${p.filesDone}/${p.filesTotal} files`, `${mb(p.bytesDone)}/${mb(p.bytesTotal)} MB`];
    if (eta !== undefined) pieces.push(`ETA ${clock(eta)}`);
    if (speed > 0) pieces.push(`${speed.toFixed(2)} MB/s`);
    pieces.push(`${p.entries} entries`);
    let info = '';
    for (const x of pieces) if (this.label.length + 14 + info.length + x.length + 1 < cols) info += ` ${x}`;
    const barW = Math.max(10, Math.min(30, cols - info.length - this.label.length - 4));
    const full = Math.round(frac * barW);
    const line = `${this.label} ▕${'█'.repeat(full)}${'░'.repeat(barW - full)}▏${info}`;
    this.stream.write(`\r\u001b[K${line.slice(0, cols - 1)}`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}

function clock(s: number): string {
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}
