// The activity view as one HTML document, rendered by the host. Every value from the log, the stores or a
// server (emails, model ids, error kinds) is escaped; the only markup is ours. The page's one script filters the
// event list and posts the buttons' messages.

import type { ActivityMessageType } from '../../shared/activityProtocol';
import { escapeHtml as h } from '../common/text';
import { webviewPage, type PanelHtmlOptions } from '../render/panelHtml';
import type { ActivityEvent, ActivityKind } from './model';
import type { Totals, UsageSummary } from './usage';
import type { ActivityViewModel, CredentialView } from './view';

/** `vscode.l10n.t`'s shape: `{0}` placeholders. */
export type Localize = (message: string, ...args: Array<string | number>) => string;

export interface ActivityHtmlOptions extends Omit<PanelHtmlOptions, 'title'> {
  readonly t: Localize;
  /** Date and time in the user's locale and zone. */
  readonly formatTime: (at: number) => string;
  readonly formatNumber: (n: number) => string;
}

export function renderActivityHtml(model: ActivityViewModel, o: ActivityHtmlOptions): string {
  const title = o.t('Gemini Credential Activity');
  return webviewPage(
    { ...o, title },
    `<main class="activity">
  <header class="toolbar">
    <h1>${h(title)}</h1>
    <div class="actions">
      ${button('refresh', o.t('Refresh'))}
      ${button('export', o.t('Export as JSON…'))}
      ${button('clear', o.t('Clear Activity…'))}
    </div>
  </header>
  <p class="hint">${h(o.t('Everything this extension holds and did, kept on this machine: no key, token or prompt text is stored here. Look for a credential you did not expect to be used.'))}</p>
  ${renderCredentials(model, o)}
  ${renderEvents(model, o)}
  ${renderUsage(model, o)}
</main>`,
  );
}

function button(type: ActivityMessageType, label: string, extra: { credential?: string; aria?: string; primary?: boolean } = {}): string {
  const credential = extra.credential ? ` data-credential="${h(extra.credential)}"` : '';
  const aria = extra.aria ? ` aria-label="${h(extra.aria)}"` : '';
  return `<button type="button" class="${extra.primary ? 'primary' : 'secondary'}" data-action="${h(type)}"${credential}${aria}>${h(label)}</button>`;
}

// ---- credentials ----

function renderCredentials(model: ActivityViewModel, o: ActivityHtmlOptions): string {
  const { t } = o;
  const body = model.credentials.length
    ? `<ul class="cards">${model.credentials.map((c) => `<li>${renderCredential(c, o)}</li>`).join('')}</ul>`
    : `<p class="empty">${h(t('No Google account or API key is stored.'))} ${button('signIn', t('Sign In…'), { primary: true })} ${button('setApiKey', t('Set API Key…'))}</p>`;
  return `<section aria-labelledby="credentials-heading">
    <h2 id="credentials-heading">${h(t('Credentials'))}</h2>
    ${body}
  </section>`;
}

function when(at: number | undefined, o: ActivityHtmlOptions): string {
  return at ? h(o.formatTime(at)) : h(o.t('not recorded'));
}

function field(name: string, value: string): string {
  return `<dt>${h(name)}</dt><dd>${value}</dd>`;
}

function renderCredential(c: CredentialView, o: ActivityHtmlOptions): string {
  const { t } = o;
  const active = c.active ? ` <span class="badge">${h(t('Active'))}</span>` : '';
  const makeActive = c.active ? '' : button('makeActive', t('Make Active'), { credential: c.key, aria: t('Make {0} active', c.label) });
  if (c.kind === 'oauth') {
    const fields = [
      field(t('Type'), h(t('Google account'))),
      field(t('Granted scopes'), c.scopes.length ? `<ul class="scopes">${c.scopes.map((s) => `<li><code>${h(s)}</code></li>`).join('')}</ul>` : h(t('none'))),
      field(t('Added'), when(c.addedAt, o)),
      field(t('Last used'), when(c.lastUsedAt, o)),
      field(t('Last refreshed'), when(c.lastRefreshedAt, o)),
      field(t('Issuer'), c.issuer ? `<code>${h(c.issuer)}</code>` : h(t('not recorded'))),
    ];
    return `<article class="card" aria-label="${h(c.label)}">
      <h3><span class="symbol" aria-hidden="true">◉</span> ${h(c.label)}${active}</h3>
      <dl>${fields.join('')}</dl>
      <div class="actions">${makeActive}${button('signOut', t('Sign Out…'), { credential: c.key, aria: t('Sign out {0}', c.label) })}</div>
    </article>`;
  }
  const typeName =
    c.keyType === 'authorization' ? t('Authorization key (AQ.)') : c.keyType === 'standard' ? t('Standard key (AIza)') : t('Unrecognised key type');
  const signals: string[] = [];
  if (c.keyType === 'standard') {
    signals.push(t('Google is retiring standard (AIza) keys for the Gemini API. Create an authorization key in Google AI Studio and rotate.'));
  }
  if (c.rotationDue) signals.push(t('This key is {0} days old, past the {1}-day rotation reminder. Rotate it.', c.ageDays, c.rotationReminderDays));
  const age =
    c.rotationReminderDays > 0 ? t('{0} days (rotation reminder at {1} days)', c.ageDays, c.rotationReminderDays) : t('{0} days (rotation reminder off)', c.ageDays);
  const source = !c.source ? t('not recorded') : c.source === 'typed' ? t('typed in') : t('environment variable {0}', c.source);
  const fields = [
    field(t('Type'), h(typeName)),
    field(t('Set'), when(c.setAt, o)),
    field(t('Age'), h(age)),
    field(t('Last used'), when(c.lastUsedAt, o)),
    field(t('Came from'), h(source)),
  ];
  return `<article class="card${signals.length ? ' flagged' : ''}" aria-label="${h(c.label)}">
    <h3><span class="symbol" aria-hidden="true">◆</span> ${h(t('API key'))}${active}</h3>
    ${signals.map((s) => `<p class="signal" role="note"><span aria-hidden="true">⚠ </span>${h(s)}</p>`).join('')}
    <dl>${fields.join('')}</dl>
    <div class="actions">${makeActive}${button('setApiKey', t('Rotate Key…'), { primary: signals.length > 0 })}${button('signOut', t('Remove Key…'), { credential: c.key })}</div>
  </article>`;
}

// ---- events ----

export function describeEvent(e: ActivityEvent, t: Localize): string {
  const d = e.detail ?? '';
  const text: Record<ActivityKind, () => string> = {
    signIn: () => (d ? t('Signed in (issued by {0})', d) : t('Signed in')),
    refresh: () => t('Access token refreshed'),
    refreshFailed: () => (d === 'invalidGrant' ? t('Refresh refused: the sign-in expired or was revoked; the session was removed') : t('Refresh failed (network or server); tried again later')),
    signOut: () =>
      d === 'confirmed'
        ? t('Signed out; Google confirmed the revocation')
        : d === 'alreadyInvalid'
          ? t('Signed out; Google said the grant was already revoked')
          : t('Signed out on this machine; Google did not confirm the revocation'),
    keySet: () => t('API key set (typed in)'),
    keyValidated: () => t('API key checked with Google: accepted'),
    keyRejected: () => t('API key checked with Google: rejected ({0})', d || t('unknown reason')),
    keyRemoved: () => t('API key removed'),
    envKeyUsed: () => t('API key from the environment variable {0} stored and used', d),
    requestRefused: () => (e.model ? t('Request refused ({0}) for {1}', d, e.model) : t('Request refused ({0})', d)),
    settingChanged: () => t('Setting changed: {0}', d),
  };
  return text[e.kind]();
}

function kindName(kind: ActivityKind, t: Localize): string {
  const names: Record<ActivityKind, string> = {
    signIn: t('Sign-in'),
    refresh: t('Refresh'),
    refreshFailed: t('Refresh failure'),
    signOut: t('Sign-out'),
    keySet: t('Key set'),
    keyValidated: t('Key validated'),
    keyRejected: t('Key rejected'),
    keyRemoved: t('Key removed'),
    envKeyUsed: t('Environment key used'),
    requestRefused: t('Request refused'),
    settingChanged: t('Setting changed'),
  };
  return names[kind];
}

function renderEvents(model: ActivityViewModel, o: ActivityHtmlOptions): string {
  const { t } = o;
  const kinds = [...new Set(model.events.map((e) => e.kind))];
  const credentials = [...new Set(model.events.flatMap((e) => (e.credential ? [e.credential.key] : [])))];
  const label = (key: string) => model.labels.get(key) ?? key;
  const option = (value: string, text: string) => `<option value="${h(value)}">${h(text)}</option>`;
  const rows = model.events.map(
    (e) => `<tr data-kind="${h(e.kind)}" data-credential="${h(e.credential?.key ?? '')}">
      <td><time datetime="${h(new Date(e.at).toISOString())}">${h(o.formatTime(e.at))}</time></td>
      <td>${h(describeEvent(e, t))}</td>
      <td>${e.credential ? h(label(e.credential.key)) : ''}</td>
    </tr>`,
  );
  return `<section aria-labelledby="events-heading">
    <h2 id="events-heading">${h(t('Events'))} <span class="count">${h(t('{0} kept, newest first', o.formatNumber(model.events.length)))}</span></h2>
    <div class="filters" role="group" aria-label="${h(t('Filter events'))}">
      <label>${h(t('Kind'))} <select id="filter-kind">${option('', t('All kinds'))}${kinds.map((k) => option(k, kindName(k, t))).join('')}</select></label>
      <label>${h(t('Credential'))} <select id="filter-credential">${option('', t('All credentials'))}${credentials.map((c) => option(c, label(c))).join('')}</select></label>
      <span id="filter-status" class="count" role="status" aria-live="polite"></span>
    </div>
    <table class="events">
      <caption class="visually-hidden">${h(t('Credential events, newest first'))}</caption>
      <thead><tr><th scope="col">${h(t('When'))}</th><th scope="col">${h(t('What happened'))}</th><th scope="col">${h(t('Credential'))}</th></tr></thead>
      <tbody>${rows.join('') || `<tr class="empty-row"><td colspan="3">${h(t('No events yet.'))}</td></tr>`}</tbody>
    </table>
  </section>`;
}

// ---- usage ----

function tokens(x: Totals): number {
  return x.prompt + x.answer + x.thinking;
}

function renderUsage(model: ActivityViewModel, o: ActivityHtmlOptions): string {
  const { t } = o;
  const u = model.usage;
  const n = o.formatNumber;
  const label = (key: string) => model.labels.get(key) ?? key;
  const lm = u.byOrigin.find((x) => x.origin === 'languageModel');
  const totalsCells = (x: Totals) =>
    `<td class="num">${h(n(x.requests))}</td><td class="num">${h(n(x.prompt))}</td><td class="num">${h(n(x.answer))}</td><td class="num">${h(n(x.thinking))}</td><td class="num">${h(n(x.errors))}</td>`;
  const head = (first: string) =>
    `<thead><tr><th scope="col">${h(first)}</th><th scope="col" class="num">${h(t('Requests'))}</th><th scope="col" class="num">${h(t('Prompt'))}</th><th scope="col" class="num">${h(t('Answer'))}</th><th scope="col" class="num">${h(t('Thinking'))}</th><th scope="col" class="num">${h(t('Errors'))}</th></tr></thead>`;
  const table = (id: string, caption: string, first: string, rows: string[]) =>
    `<table class="usage" id="${h(id)}"><caption>${h(caption)}</caption>${head(first)}<tbody>${rows.join('') || `<tr class="empty-row"><td colspan="6">${h(t('No requests in the last 30 days.'))}</td></tr>`}</tbody></table>`;
  const errorRows = u.errorsByKind.map((e) => `<tr><th scope="row"><code>${h(e.kind)}</code></th><td class="num">${h(n(e.count))}</td></tr>`);
  return `<section aria-labelledby="usage-heading">
    <h2 id="usage-heading">${h(t('Usage'))} <span class="count">${h(t('last 30 days, from the usage Google reports with each answer'))}</span></h2>
    <p class="totals" id="usage-total">${h(t('{0} requests · {1} prompt tokens · {2} answer tokens · {3} thinking tokens', n(u.total.requests), n(u.total.prompt), n(u.total.answer), n(u.total.thinking)))}</p>
    ${lm ? `<p class="signal" role="note">${h(t('{0} of these requests came from VS Code chat or another extension through the language-model provider ({1} tokens).', n(lm.requests), n(tokens(lm))))}</p>` : ''}
    ${renderChart(u, o)}
    ${table('usage-by-model', t('By model'), t('Model'), u.byModel.map((r) => `<tr><th scope="row"><code>${h(r.model)}</code></th>${totalsCells(r)}</tr>`))}
    ${table('usage-by-credential', t('By credential'), t('Credential'), u.byCredential.map((r) => `<tr><th scope="row">${h(label(r.credential))}</th>${totalsCells(r)}</tr>`))}
    ${
      lm
        ? table('usage-by-origin', t('By origin'), t('Origin'), u.byOrigin.map((r) => `<tr><th scope="row">${h(r.origin === 'languageModel' ? t('Via the language-model provider') : t('This extension\'s commands'))}</th>${totalsCells(r)}</tr>`))
        : ''
    }
    <table class="usage" id="usage-errors"><caption>${h(t('Errors by kind'))}</caption>
      <thead><tr><th scope="col">${h(t('Kind'))}</th><th scope="col" class="num">${h(t('Requests'))}</th></tr></thead>
      <tbody>${errorRows.join('') || `<tr class="empty-row"><td colspan="2">${h(t('No errors.'))}</td></tr>`}</tbody>
    </table>
  </section>`;
}

const CHART = { width: 600, height: 140, top: 12, bottom: 22, left: 4, right: 4 } as const;

/** Stacked bars (prompt, answer, thinking) per day, drawn from the data; each bar has its numbers as a title. */
export function renderChart(u: UsageSummary, o: Pick<ActivityHtmlOptions, 't' | 'formatNumber'>): string {
  const { t } = o;
  const n = o.formatNumber;
  const max = Math.max(1, ...u.days.map(tokens));
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const slot = (CHART.width - CHART.left - CHART.right) / u.days.length;
  const barWidth = Math.max(2, slot * 0.7);
  const y = (v: number) => (v / max) * plotHeight;
  const bars = u.days.map((d, i) => {
    const x = CHART.left + i * slot + (slot - barWidth) / 2;
    let base = CHART.height - CHART.bottom;
    const parts: string[] = [];
    for (const [cls, value] of [
      ['prompt', d.prompt],
      ['answer', d.answer],
      ['thinking', d.thinking],
    ] as const) {
      if (!value) continue;
      const height = Math.max(1, y(value));
      base -= height;
      parts.push(`<rect class="bar-${cls}" x="${x.toFixed(1)}" y="${base.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}"/>`);
    }
    const tip = t('{0}: {1} tokens (prompt {2}, answer {3}, thinking {4}), {5} requests', d.day, n(tokens(d)), n(d.prompt), n(d.answer), n(d.thinking), n(d.requests));
    return `<g class="day" data-day="${h(d.day)}"><title>${h(tip)}</title><rect class="hit" x="${(CHART.left + i * slot).toFixed(1)}" y="0" width="${slot.toFixed(1)}" height="${CHART.height}"/>${parts.join('')}</g>`;
  });
  const first = u.days[0]?.day ?? '';
  const last = u.days[u.days.length - 1]?.day ?? '';
  const summary = t('Tokens per day from {0} to {1}; the busiest day used {2} tokens.', first, last, n(Math.max(0, ...u.days.map(tokens))));
  return `<figure class="chart">
    <svg viewBox="0 0 ${CHART.width} ${CHART.height}" role="img" aria-labelledby="chart-title">
      <title id="chart-title">${h(summary)}</title>
      <line class="axis" x1="0" y1="${CHART.height - CHART.bottom}" x2="${CHART.width}" y2="${CHART.height - CHART.bottom}"/>
      ${bars.join('')}
      <text class="label" x="${CHART.left}" y="${CHART.height - 6}">${h(first)}</text>
      <text class="label end" x="${CHART.width - CHART.right}" y="${CHART.height - 6}">${h(last)}</text>
      <text class="label" x="${CHART.left}" y="${CHART.top - 2}">${h(t('max {0}', n(max)))}</text>
    </svg>
    <figcaption>
      <span class="legend"><span class="swatch bar-prompt" aria-hidden="true"></span>${h(t('Prompt'))}</span>
      <span class="legend"><span class="swatch bar-answer" aria-hidden="true"></span>${h(t('Answer'))}</span>
      <span class="legend"><span class="swatch bar-thinking" aria-hidden="true"></span>${h(t('Thinking'))}</span>
    </figcaption>
  </figure>
  <details class="daily"><summary>${h(t('Tokens per day as a table'))}</summary>
    <table class="usage"><thead><tr><th scope="col">${h(t('Day'))}</th><th scope="col" class="num">${h(t('Requests'))}</th><th scope="col" class="num">${h(t('Prompt'))}</th><th scope="col" class="num">${h(t('Answer'))}</th><th scope="col" class="num">${h(t('Thinking'))}</th></tr></thead>
    <tbody>${[...u.days]
      .reverse()
      .filter((d) => d.requests > 0)
      .map((d) => `<tr><th scope="row">${h(d.day)}</th><td class="num">${h(n(d.requests))}</td><td class="num">${h(n(d.prompt))}</td><td class="num">${h(n(d.answer))}</td><td class="num">${h(n(d.thinking))}</td></tr>`)
      .join('') || `<tr class="empty-row"><td colspan="5">${h(t('No requests in the last 30 days.'))}</td></tr>`}</tbody></table>
  </details>`;
}
