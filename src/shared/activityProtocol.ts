// What the activity view's webview may ask of the extension. The host accepts exactly these shapes and
// nothing else (unknown types, extra fields or malformed ids are dropped): the page shows untrusted labels,
// so it is treated like any other untrusted sender.

/** `oauth:<Google account id>` or `apiKey:<time the key was set>`, as the page received it. */
export type CredentialKey = string;

export type ActivityWebviewMessage =
  | { readonly type: 'makeActive'; readonly credential: CredentialKey }
  | { readonly type: 'signOut'; readonly credential: CredentialKey }
  /** Set API Key: a new key replaces the stored one only after Google accepts it (so also "rotate"). */
  | { readonly type: 'setApiKey' }
  | { readonly type: 'signIn' }
  | { readonly type: 'export' }
  | { readonly type: 'clear' }
  | { readonly type: 'refresh' };

export type ActivityMessageType = ActivityWebviewMessage['type'];

const WITH_CREDENTIAL = new Set<ActivityMessageType>(['makeActive', 'signOut']);
const WITHOUT = new Set<ActivityMessageType>(['setApiKey', 'signIn', 'export', 'clear', 'refresh']);
const CREDENTIAL_KEY = /^(?:oauth:[A-Za-z0-9._@-]{1,128}|apiKey:[0-9]{1,16})$/;

export function isActivityMessageType(value: unknown): value is ActivityMessageType {
  return WITH_CREDENTIAL.has(value as ActivityMessageType) || WITHOUT.has(value as ActivityMessageType);
}

export function parseActivityMessage(raw: unknown): ActivityWebviewMessage | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const keys = Object.keys(o);
  if (!isActivityMessageType(o.type)) return undefined;
  if (WITH_CREDENTIAL.has(o.type)) {
    if (keys.length !== 2 || typeof o.credential !== 'string' || !CREDENTIAL_KEY.test(o.credential)) return undefined;
    return { type: o.type as 'makeActive' | 'signOut', credential: o.credential };
  }
  if (keys.length !== 1) return undefined;
  return { type: o.type as 'setApiKey' | 'signIn' | 'export' | 'clear' | 'refresh' };
}
