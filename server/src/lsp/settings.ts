// Settings are pulled per document with workspace/configuration (scopeUri = the note), cleaned
// once by sanitizeSettings, and cached per URI until the client says they changed. Nothing is
// kept in module globals: the cache is an object the server wires up.

import { CONFIG_SECTION, DEFAULT_SETTINGS, sanitizeSettings, Settings } from '../protocol';

export type ConfigurationFetcher = (scopeUri: string) => Promise<unknown>;

export class SettingsCache {
  private readonly cache = new Map<string, Promise<Settings>>();
  /** Bumped on every change, so results computed with older settings can be recognised. */
  generation = 0;
  /** Settings pushed with didChangeConfiguration, used when the client cannot be asked. */
  private pushed: unknown;

  constructor(private readonly fetch: ConfigurationFetcher | undefined) {}

  get(uri: string): Promise<Settings> {
    let s = this.cache.get(uri);
    if (!s) {
      s = this.fetch
        ? this.fetch(uri).then(sanitizeSettings, () => ({ ...DEFAULT_SETTINGS }))
        : Promise.resolve(sanitizeSettings(this.pushed));
      this.cache.set(uri, s);
    }
    return s;
  }

  /** didChangeConfiguration: forget everything (with push-style clients, keep what was sent). */
  changed(pushedSettings?: unknown): void {
    if (pushedSettings && typeof pushedSettings === 'object' && CONFIG_SECTION in (pushedSettings as object)) {
      this.pushed = (pushedSettings as Record<string, unknown>)[CONFIG_SECTION];
    }
    this.cache.clear();
    this.generation++;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
