// The Gemini client core, free of the VS Code API.
export * from './client';
export * from './credentials';
export * from './errors';
export * from './response';
export * from './retry';
export * from './sse';
export * from './thinking';
export * from './tokens';
export * from './types';
