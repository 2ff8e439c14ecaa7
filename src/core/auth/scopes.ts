// Scopes are normalised once, here (like microsoft-authentication's ScopeData): deduplicated, sorted, and
// Google's long aliases folded to the short OpenID names, because Google answers a request for `email` with
// a granted scope of `https://www.googleapis.com/auth/userinfo.email`. Nothing past this module compares raw
// scope strings.

const ALIASES: Readonly<Record<string, string>> = {
  'https://www.googleapis.com/auth/userinfo.email': 'email',
  'https://www.googleapis.com/auth/userinfo.profile': 'profile',
};

export class ScopeSet {
  /** Sorted, deduplicated, aliases folded. */
  readonly scopes: readonly string[];

  private constructor(scopes: readonly string[]) {
    this.scopes = Object.freeze(scopes);
  }

  static from(scopes: Iterable<string> | string | undefined): ScopeSet {
    const raw = typeof scopes === 'string' ? scopes.split(/\s+/) : [...(scopes ?? [])];
    const set = new Set<string>();
    for (const s of raw) {
      const t = s.trim();
      if (t) set.add(ALIASES[t] ?? t);
    }
    return new ScopeSet([...set].sort());
  }

  /** True when every scope of `requested` is in this set. */
  covers(requested: ScopeSet): boolean {
    return requested.missingFrom(this).length === 0;
  }

  union(other: ScopeSet): ScopeSet {
    return ScopeSet.from([...this.scopes, ...other.scopes]);
  }

  missingFrom(granted: ScopeSet): string[] {
    const g = new Set(granted.scopes);
    return this.scopes.filter((s) => !g.has(s));
  }

  /** The value of the `scope` parameter; also a stable key to compare sets by. */
  toParam(): string {
    return this.scopes.join(' ');
  }
}
