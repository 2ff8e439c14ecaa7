// The part of google-auth-library the extension uses: OAuth2Client and gaxios' error type. Its index is
// CommonJS and cannot be tree-shaken, so importing it brings GoogleAuth, every credential type and
// gcp-metadata into the bundle (about 200 KB, a third of the activation's code loading). This deep path has
// no `exports` map to guard it: google-auth-library is pinned, and the token-client tests exercise it.
export { OAuth2Client } from 'google-auth-library/build/src/auth/oauth2client';
export * as gaxios from 'gaxios';
