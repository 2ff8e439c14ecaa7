// The OAuth core's public surface, for the VS Code adapter (src/vscode/) and tests.
export { AuthService, DEFAULT_REFRESH_MARGIN_MS, REMOVED_SESSIONS_KEY } from './authService';
export type { AuthConfig, AuthServiceDeps, AuthSession, SessionLostEvent, SessionsChangeEvent, SharedState, SignOutResult } from './authService';
export { CLIENT_SECRET_KEY, OAuthClientStore, clientIdWarning, parseClientSecretJson } from './clientConfig';
export type { ClientSecretSource, OAuthClientCredentials, ParsedClientSecret, ResolvedClient } from './clientConfig';
export { ENDPOINT_SETTINGS, GOOGLE_ENDPOINTS, checkEndpointUrl, isLoopbackHost, validateEndpoints } from './endpoints';
export type { OAuthEndpoints } from './endpoints';
export { AuthError, isAuthError, isCancellation } from './errors';
export type { AuthErrorCode } from './errors';
export type { IdTokenClaims } from './idToken';
export { CALLBACK_PATH, LoopbackServer } from './loopbackServer';
export { DEFAULT_SIGN_IN_TIMEOUT_MS, buildAuthorizationUrl, parsePastedRedirectUrl, runSignInFlow } from './oauthFlow';
export type { Account, SignInOptions, SignInResult, SignInUi, TokenSet } from './oauthFlow';
export { FALLBACK_PAGES, escapeHtml, loadAuthPages, renderFailurePage } from './pages';
export type { AuthPages } from './pages';
export { codeChallengeS256, createCodeVerifier, createPkcePair, createState } from './pkce';
export { ScopeSet } from './scopes';
export { SESSION_INDEX_KEY, SessionStore, isSessionStoreKey, sessionKey } from './sessionStore';
export type { SessionIssuer, StoredSession } from './sessionStore';
