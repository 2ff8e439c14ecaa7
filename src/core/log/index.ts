// Log formatting and redaction, free of the VS Code API.
export * from './redactingLogger';
export * from './redactor';
export * from './requestLog';
