// The activity view's only script: filters the event table and turns button clicks into protocol
// messages. All content is rendered (escaped) by the host; this never builds HTML from data.

import { isActivityMessageType, type ActivityWebviewMessage } from '../../src/shared/activityProtocol';
import type { WebviewApi } from '../vscodeApi';

interface ViewState {
  kind?: string;
  credential?: string;
  scrollY?: number;
}

const api: WebviewApi = acquireVsCodeApi();
const state: ViewState = (api.getState() as ViewState | undefined) ?? {};
const kindSelect = document.getElementById('filter-kind') as HTMLSelectElement | null;
const credentialSelect = document.getElementById('filter-credential') as HTMLSelectElement | null;
const status = document.getElementById('filter-status');

function save(): void {
  api.setState({ kind: kindSelect?.value ?? '', credential: credentialSelect?.value ?? '', scrollY: window.scrollY } satisfies ViewState);
}

function applyFilters(): void {
  const kind = kindSelect?.value ?? '';
  const credential = credentialSelect?.value ?? '';
  let shown = 0;
  let total = 0;
  for (const row of document.querySelectorAll<HTMLTableRowElement>('table.events tbody tr[data-kind]')) {
    total++;
    const visible = (!kind || row.dataset.kind === kind) && (!credential || row.dataset.credential === credential);
    row.hidden = !visible;
    if (visible) shown++;
  }
  if (status) status.textContent = kind || credential ? `${shown} / ${total}` : '';
  save();
}

function restore(select: HTMLSelectElement | null, value: string | undefined): void {
  if (select && value && [...select.options].some((o) => o.value === value)) select.value = value;
}

restore(kindSelect, state.kind);
restore(credentialSelect, state.credential);
kindSelect?.addEventListener('change', applyFilters);
credentialSelect?.addEventListener('change', applyFilters);
applyFilters();
if (state.scrollY) window.scrollTo(0, state.scrollY);
let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(save, 150);
});

document.addEventListener('click', (event) => {
  const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-action]');
  if (!button) return;
  const type = button.dataset.action;
  if (!isActivityMessageType(type)) return;
  const message = (type === 'makeActive' || type === 'signOut' ? { type, credential: button.dataset.credential ?? '' } : { type }) as ActivityWebviewMessage;
  save();
  api.postMessage(message);
});
