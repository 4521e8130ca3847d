// A TEST-ONLY fault hook. The resilience tests need the analysis of one document to fail while
// others go on, and no real input does that: rules are data with a linear matcher, and every
// input the server reads (settings, rule files, dismissals) is validated before use. So the
// server reads CASENOTE_AUDIT_FAULT once at start; `analyze:<marker>` makes the analysis of any
// document whose text contains <marker> throw, through the same path an engine bug would take.
// Unset (always, outside the tests) it does nothing. It can only make the server fail on text the
// user opened, never read or send anything; docs/security.md lists it.

export type FaultHook = (text: string) => void;

export function faultHook(spec: string | undefined = process.env.CASENOTE_AUDIT_FAULT): FaultHook | undefined {
  const m = /^analyze:(.+)$/s.exec(spec ?? '');
  if (!m) return undefined;
  const marker = m[1];
  return (text) => {
    if (text.includes(marker)) throw new Error(`fault injected by CASENOTE_AUDIT_FAULT (the note contains "${marker}")`);
  };
}
