// Service accounts for the fake Google: key files like the ones Cloud Console downloads, and the JWT-bearer grant
// (RFC 7523) checked as Google checks it — RS256 signature against the account's public key, the token endpoint as
// audience, a lifetime of at most an hour around now, and a scope claim.
import { generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface ServiceAccountKeyFile {
  readonly type: 'service_account';
  readonly project_id: string;
  readonly private_key_id: string;
  readonly private_key: string;
  readonly client_email: string;
  readonly client_id: string;
  readonly auth_uri: string;
  readonly token_uri: string;
}

interface Registered {
  readonly email: string;
  readonly clientId: string;
  readonly keys: Map<string, KeyObject>;
}

export type JwtBearerResult = { ok: true; email: string; clientId: string; scopes: string[] } | { ok: false; status: number; error: string; description: string };

export class FakeServiceAccounts {
  private readonly accounts = new Map<string, Registered>();

  /** A new service account and its key file, whose `token_uri` is `tokenEndpoint`. */
  create(tokenEndpoint: string, name = 'vertex-runner', projectId = 'gemini-vertex-test'): ServiceAccountKeyFile {
    const email = `${name}@${projectId}.iam.gserviceaccount.com`;
    const clientId = `1${randomBytes(10).readBigUInt64BE().toString().padStart(20, '0').slice(0, 20)}`;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyId = randomBytes(20).toString('hex');
    const account = this.accounts.get(email) ?? { email, clientId, keys: new Map() };
    account.keys.set(keyId, publicKey);
    this.accounts.set(email, account);
    return {
      type: 'service_account',
      project_id: projectId,
      private_key_id: keyId,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
      client_id: account.clientId,
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: tokenEndpoint,
    };
  }

  /** Deletes one key: assertions signed with it are refused from now on. */
  deleteKey(email: string, keyId: string): void {
    this.accounts.get(email)?.keys.delete(keyId);
  }

  /** Checks a JWT-bearer assertion sent to `tokenEndpoint` at `nowMs`. */
  verify(assertion: string, tokenEndpoint: string, nowMs: number): JwtBearerResult {
    const invalid = (description: string): JwtBearerResult => ({ ok: false, status: 400, error: 'invalid_grant', description });
    const parts = assertion.split('.');
    if (parts.length !== 3) return invalid('Invalid JWT: not three segments.');
    let header: { alg?: unknown; kid?: unknown };
    let claims: { iss?: unknown; aud?: unknown; scope?: unknown; iat?: unknown; exp?: unknown };
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return invalid('Invalid JWT: segments are not base64url JSON.');
    }
    if (header.alg !== 'RS256') return invalid('Invalid JWT: alg must be RS256.');
    const account = typeof claims.iss === 'string' ? this.accounts.get(claims.iss) : undefined;
    if (!account) return { ok: false, status: 400, error: 'invalid_grant', description: 'Invalid grant: account not found' };
    const key = typeof header.kid === 'string' ? account.keys.get(header.kid) : undefined;
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!key || !verify('sha256', signed, key, Buffer.from(parts[2], 'base64url'))) return invalid('Invalid JWT Signature.');
    if (claims.aud !== tokenEndpoint) return invalid(`Invalid JWT: audience must be ${tokenEndpoint}.`);
    const now = Math.floor(nowMs / 1000);
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= now || iat > now + 300) {
      return invalid('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : [];
    if (!scopes.length) return { ok: false, status: 400, error: 'invalid_scope', description: 'Invalid OAuth scope or ID token audience provided.' };
    return { ok: true, email: account.email, clientId: account.clientId, scopes };
  }
}
