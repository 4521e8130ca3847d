// Inline SVG charts for the HTML reports. Only presentation attributes are used (no style
// attributes, no scripts, no external fonts), so the charts render under the reports' strict
// Content-Security-Policy and in a VS Code webview with scripts disabled.

import { escapeHtml } from './common';

export const COLOURS = { concern: '#b3423a', aligned: '#2f7d4f', baseline: '#9aa3ad', followup: '#1f5fa8', grid: '#d8dde3', text: '#1d2329', muted: '#5b6670' };

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="12"';

export interface BarRow {
  label: string;
  values: number[];
  /** Text after the bars (e.g. "0.42 → 0.10"); defaults to the formatted values. */
  note?: string;
}

/** Horizontal bars, one group per row and one bar per series. */
export function hbars(rows: BarRow[], opts: { series: string[]; colours: string[]; title: string; format: (n: number) => string; width?: number }): string {
  const width = opts.width ?? 760;
  const labelW = 250;
  const noteW = 120;
  const barArea = width - labelW - noteW - 10;
  const bh = opts.series.length > 1 ? 9 : 14;
  const rowH = opts.series.length * bh + 8;
  const legendH = opts.series.length > 1 ? 22 : 0;
  const height = legendH + rows.length * rowH + 24;
  const max = Math.max(1e-9, ...rows.flatMap((r) => r.values));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1];
  const x = (v: number) => labelW + (v / top) * barArea;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(opts.title)}" ${FONT}>`);
  out.push(`<title>${escapeHtml(opts.title)}</title>`);
  if (legendH) {
    let lx = labelW;
    opts.series.forEach((s, i) => {
      out.push(`<rect x="${lx}" y="4" width="12" height="12" fill="${opts.colours[i]}"/><text x="${lx + 16}" y="14" fill="${COLOURS.text}">${escapeHtml(s)}</text>`);
      lx += 24 + s.length * 7;
    });
  }
  const y0 = legendH;
  for (const t of ticks) {
    const tx = x(t).toFixed(1);
    out.push(`<line x1="${tx}" y1="${y0}" x2="${tx}" y2="${height - 18}" stroke="${COLOURS.grid}" stroke-width="1"/>`);
    out.push(`<text x="${tx}" y="${height - 4}" fill="${COLOURS.muted}" text-anchor="middle">${escapeHtml(opts.format(t))}</text>`);
  }
  rows.forEach((r, i) => {
    const ry = y0 + i * rowH + 4;
    out.push(`<text x="${labelW - 8}" y="${(ry + (rowH - 8) / 2 + 4).toFixed(1)}" fill="${COLOURS.text}" text-anchor="end">${escapeHtml(truncate(r.label, 36))}</text>`);
    r.values.forEach((v, k) => {
      const w = Math.max(0, x(v) - labelW);
      out.push(`<rect x="${labelW}" y="${ry + k * bh}" width="${w.toFixed(1)}" height="${bh - 1}" fill="${opts.colours[k]}"><title>${escapeHtml(`${r.label}: ${opts.series[k] ?? ''} ${opts.format(v)}`)}</title></rect>`);
    });
    out.push(`<text x="${width - noteW + 4}" y="${(ry + (rowH - 8) / 2 + 4).toFixed(1)}" fill="${COLOURS.muted}">${escapeHtml(r.note ?? r.values.map(opts.format).join(' / '))}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

/** Vertical bars over time (months). */
export function columns(points: Array<{ label: string; value: number | null }>, opts: { title: string; colour: string; format: (n: number) => string; width?: number }): string {
  const width = opts.width ?? 760;
  const height = 200;
  const left = 50;
  const bottom = 36;
  const area = width - left - 10;
  const max = Math.max(0, ...points.map((p) => p.value ?? 0));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1];
  const y = (v: number) => height - bottom - (v / top) * (height - bottom - 10);
  const bw = Math.max(2, Math.min(40, area / Math.max(1, points.length) - 2));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(opts.title)}" ${FONT}>`);
  out.push(`<title>${escapeHtml(opts.title)}</title>`);
  for (const t of ticks) {
    const ty = y(t).toFixed(1);
    out.push(`<line x1="${left}" y1="${ty}" x2="${width - 10}" y2="${ty}" stroke="${COLOURS.grid}" stroke-width="1"/><text x="${left - 6}" y="${(+ty + 4).toFixed(1)}" fill="${COLOURS.muted}" text-anchor="end">${escapeHtml(opts.format(t))}</text>`);
  }
  const every = Math.max(1, Math.ceil(points.length / 12));
  points.forEach((p, i) => {
    const cx = left + (i + 0.5) * (area / Math.max(1, points.length));
    if (p.value !== null) {
      const py = y(p.value);
      out.push(`<rect x="${(cx - bw / 2).toFixed(1)}" y="${py.toFixed(1)}" width="${bw.toFixed(1)}" height="${(height - bottom - py).toFixed(1)}" fill="${opts.colour}"><title>${escapeHtml(`${p.label}: ${opts.format(p.value)}`)}</title></rect>`);
    }
    if (i % every === 0) out.push(`<text x="${cx.toFixed(1)}" y="${height - bottom + 16}" fill="${COLOURS.muted}" text-anchor="middle">${escapeHtml(p.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

export interface ForestRow {
  label: string;
  ratio: number | null;
  lower: number | null;
  upper: number | null;
  colour: string;
}

/** Rate ratios with confidence intervals on a log scale, with the line of no change at 1. */
export function forest(rows: ForestRow[], opts: { title: string; width?: number }): string {
  const width = opts.width ?? 760;
  const labelW = 250;
  const noteW = 150;
  const area = width - labelW - noteW - 10;
  const rowH = 20;
  const height = rows.length * rowH + 30;
  const vals = rows.flatMap((r) => [r.lower, r.upper, r.ratio]).filter((v): v is number => v !== null && v > 0 && Number.isFinite(v));
  const lo = Math.min(0.1, ...vals.map((v) => v / 1.2));
  const hi = Math.max(10, ...vals.map((v) => v * 1.2));
  const lx = (v: number) => labelW + ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * area;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(opts.title)}" ${FONT}>`);
  out.push(`<title>${escapeHtml(opts.title)}</title>`);
  for (const t of [0.01, 0.1, 0.5, 1, 2, 10, 100].filter((v) => v >= lo && v <= hi)) {
    const tx = lx(t).toFixed(1);
    out.push(`<line x1="${tx}" y1="0" x2="${tx}" y2="${height - 20}" stroke="${t === 1 ? COLOURS.text : COLOURS.grid}" stroke-width="${t === 1 ? 1.5 : 1}"/><text x="${tx}" y="${height - 6}" fill="${COLOURS.muted}" text-anchor="middle">${t}×</text>`);
  }
  rows.forEach((r, i) => {
    const cy = i * rowH + 12;
    out.push(`<text x="${labelW - 8}" y="${cy + 4}" fill="${COLOURS.text}" text-anchor="end">${escapeHtml(truncate(r.label, 36))}</text>`);
    if (r.ratio === null || r.lower === null || r.upper === null) {
      out.push(`<text x="${width - noteW + 4}" y="${cy + 4}" fill="${COLOURS.muted}">not observed</text>`);
      return;
    }
    const a = lx(Math.max(lo, r.lower));
    const b = lx(Math.min(hi, r.upper));
    const m = lx(Math.min(hi, Math.max(lo, r.ratio)));
    out.push(`<line x1="${a.toFixed(1)}" y1="${cy}" x2="${b.toFixed(1)}" y2="${cy}" stroke="${r.colour}" stroke-width="2"/>`);
    out.push(`<rect x="${(m - 4).toFixed(1)}" y="${cy - 4}" width="8" height="8" fill="${r.colour}"><title>${escapeHtml(`${r.label}: ${r.ratio.toFixed(2)} (${r.lower.toFixed(2)} to ${r.upper.toFixed(2)})`)}</title></rect>`);
    out.push(`<text x="${width - noteW + 4}" y="${cy + 4}" fill="${COLOURS.muted}">${r.ratio.toFixed(2)} (${r.lower.toFixed(2)}–${r.upper.toFixed(2)})</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** Round axis ticks from 0 to at least `max`. */
export function niceTicks(max: number): number[] {
  if (!(max > 1e-6)) return [0, 1];
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(6)));
  if (ticks.length < 2) ticks.push(step);
  return ticks;
}
