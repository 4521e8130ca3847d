// Language-client middleware that opens a large note in parts (OPEN_IN_PARTS_FROM, protocol):
// the text goes as Methods.openPart notifications of OPEN_PART_CHARS each, then the library's
// own didOpen is sent for a view of the document whose text is empty, which the server fills
// from the parts. So no message is the whole note (a 10 MB didOpen held the server for
// 60-140 ms while it was read and parsed), and the library still records the open as sent:
// it pulls the note's diagnostics after it and closes it when the server stops.
//
// Ordering: the library sends a didOpen ahead of notifications already waiting (it does not
// wait for pending opens), so the parts are sent and written first and only then the didOpen.
// A change or close of the same note made meanwhile waits for that didOpen, or the server would
// get it for a note it does not know yet and drop it. No vscode import: tested without VS Code.
import { Methods, openInParts, OpenPartParams } from '../../server/src/protocol';

interface Doc {
  readonly uri: { toString(): string };
  readonly version: number;
  getText(): string;
}

export interface OpenInPartsMiddleware {
  didOpen<D extends Doc>(doc: D, next: (doc: D) => Promise<void>): Promise<void>;
  didChange<E extends { document: Doc }>(event: E, next: (event: E) => Promise<void>): Promise<void>;
  didClose<D extends Doc>(doc: D, next: (doc: D) => Promise<void>): Promise<void>;
}

export function openInPartsMiddleware(send: (method: string, params: OpenPartParams) => Promise<void>): OpenInPartsMiddleware {
  /** Notes whose parts and didOpen are being sent. */
  const opening = new Map<string, Promise<void>>();
  const afterOpen = (uri: string, then: () => Promise<void>): Promise<void> => {
    const open = opening.get(uri);
    return open ? open.then(then, then) : then();
  };
  return {
    didOpen(doc, next) {
      const uri = doc.uri.toString();
      const parts = openInParts(uri, doc.version, doc.getText());
      if (!parts) return next(doc);
      const open = (async () => {
        await Promise.all(parts.map((p) => send(Methods.openPart, p)));
        await next(Object.create(doc, { getText: { value: () => '' } }) as typeof doc);
      })();
      opening.set(uri, open);
      const done = () => { if (opening.get(uri) === open) opening.delete(uri); };
      open.then(done, done);
      return open;
    },
    didChange: (event, next) => afterOpen(event.document.uri.toString(), () => next(event)),
    didClose: (doc, next) => afterOpen(doc.uri.toString(), () => next(doc)),
  };
}
