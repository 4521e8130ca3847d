// Dates as exports write them: dd/mm/yyyy (UK, the default), mm/dd/yyyy (--date-order mdy),
// yyyy-mm-dd, with -, / or . between the parts and an optional time. Returns YYYY-MM-DD or undefined.

export type DateOrder = 'dmy' | 'mdy';

const DMY = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?=$|[\sT,])/;
const YMD = /^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?=$|[\sT,])/;

export function parseDate(s: string | undefined, order: DateOrder = 'dmy'): string | undefined {
  if (!s) return undefined;
  let y: number, m: number, d: number;
  const ymd = YMD.exec(s);
  if (ymd) {
    y = +ymd[1]; m = +ymd[2]; d = +ymd[3];
  } else {
    const x = DMY.exec(s);
    if (!x) return undefined;
    const a = +x[1];
    const b = +x[2];
    [d, m] = order === 'dmy' ? [a, b] : [b, a];
    y = x[3].length === 2 ? 2000 + +x[3] : +x[3];
  }
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2199) return undefined;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return undefined; // 31/02
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The month of an ISO date (YYYY-MM), or "unknown". */
export function monthOf(date: string | undefined): string {
  return date ? date.slice(0, 7) : 'unknown';
}
