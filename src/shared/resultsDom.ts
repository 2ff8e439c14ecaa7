// Stable DOM ids and classes of the results panel, for the front end and for end-to-end tests. Renaming one
// breaks those tests: change them only together.

export const DOM_IDS = {
  /** Root the front end builds into (present in the HTML from renderPanelHtml). */
  app: 'app',
  /** Result title (textContent). */
  title: 'title',
  /** Model name of the current result. */
  model: 'model',
  /** "Local emulator" badge; `hidden` unless the result came from the emulator. */
  emulatorBadge: 'emulator-badge',
  /** role="toolbar" holding the buttons below. */
  toolbar: 'toolbar',
  stop: 'stop',
  copy: 'copy',
  insert: 'insert',
  replace: 'replace',
  retry: 'retry',
  /** The error's extra action (e.g. "Sign In"); inside #error. */
  action: 'action',
  /** role="status" line: "Generating…", "Done", "Stopped", "Failed". */
  status: 'status',
  /**
   * <details> "Thinking" section above the answer: a thinking model's thought summary, collapsed unless the user
   * opens it; `hidden` when there are no thoughts. Its <summary> (#thoughts-summary) says "Thinking…" while the
   * model thinks, then e.g. "Thought for 4 s · 812 thinking tokens".
   */
  thoughts: 'thoughts',
  thoughtsSummary: 'thoughts-summary',
  /** The rendered thoughts: committed blocks followed by #thoughts-tail. */
  thoughtsBody: 'thoughts-body',
  thoughtsTail: 'thoughts-tail',
  /** The rendered answer; committed blocks followed by #answer-tail. */
  answer: 'answer',
  /** The still-changing end of the answer while streaming; empty afterwards. */
  answerTail: 'answer-tail',
  /** Finish-reason explanations and host notices (one <p> each). */
  notice: 'notice',
  /** Model + token usage when done. */
  usage: 'usage',
  /** role="alert": the error message (partial answer stays above it). */
  error: 'error',
  errorMessage: 'error-message',
  /** <details> with the earlier results of this session. */
  history: 'history',
  historyList: 'history-list',
} as const;

export const DOM_CLASSES = {
  /** Each entry in #history-list is a <button class="history-item" data-id="…">; the shown one has aria-current="true". */
  historyItem: 'history-item',
} as const;

/** Values of `data-status` on #app: the current result's status, or `empty` before any result. */
export type AppStatusAttribute = 'empty' | 'streaming' | 'done' | 'stopped' | 'error';
