import * as vscode from 'vscode';
import { VERTEX_LOCATIONS, listProjects, locationProblem, projectIdProblem, resourceManagerUrl, type BackendKind, type CloudProject } from '../../core/backends';
import { plainText } from '../../core/common/plainText';
import { isGeminiError } from '../../core/gemini/errors';
import type { Services } from '../services';
import { showQuickPick } from './quickPick';

export type BackendCommandDeps = Pick<Services, 'settings' | 'credentials' | 'log' | 'activeCredential'>;

/** What `gemini.selectBackend` may be given (a keybinding, a test): the pickers are skipped for what is given. */
function parseChoice(arg: unknown): { backend?: BackendKind; project?: string; location?: string } {
  if (!arg || typeof arg !== 'object') return {};
  const o = arg as Record<string, unknown>;
  return {
    ...((o.backend === 'vertex' || o.backend === 'geminiApi') && { backend: o.backend }),
    ...(typeof o.project === 'string' && !projectIdProblem(o.project) && { project: o.project.trim() }),
    ...(typeof o.location === 'string' && !locationProblem(o.location) && { location: o.location.trim() }),
  };
}

/** "Gemini: Select Backend": the Gemini API, or Vertex AI → project → location. Saved to user settings. */
export async function selectBackend(deps: BackendCommandDeps, arg?: unknown): Promise<boolean> {
  const given = parseChoice(arg);
  const backend = given.backend ?? (await pickBackend(deps));
  if (!backend) return false;
  if (backend === 'geminiApi') {
    await deps.settings.update('backend', 'geminiApi');
    deps.log.info('[selectBackend] Gemini API');
    void vscode.window.showInformationMessage(vscode.l10n.t('Gemini now uses the Gemini API.'));
    return true;
  }
  const project = given.project ?? (await pickProject(deps));
  if (!project) return false;
  const location = given.location ?? (await pickLocation(deps.settings.get('vertexLocation')));
  if (!location) return false;
  await deps.settings.update('vertexProject', project);
  await deps.settings.update('vertexLocation', location);
  await deps.settings.update('backend', 'vertex');
  deps.log.info(`[selectBackend] Vertex AI, project ${project}, location ${location}`);
  const active = await deps.credentials.current();
  if (active?.kind === 'apiKey' || !active) {
    await explainVertexCredentials(active ? 'apiKey' : 'none');
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t('Gemini now uses Vertex AI in project {0}, location {1}.', project, location));
  }
  return true;
}

/**
 * Before a request on Vertex AI: a project is chosen (asked once), and the credential is a Google identity.
 * False when the user has to do something first (they were told what).
 */
export async function ensureVertexReady(deps: BackendCommandDeps): Promise<boolean> {
  if (deps.settings.get('backend') !== 'vertex') return true;
  const active = await deps.credentials.current();
  if (!active || active.kind === 'apiKey') {
    await explainVertexCredentials(active ? 'apiKey' : 'none');
    return false;
  }
  if (!deps.settings.get('vertexProject')) {
    const project = await pickProject(deps);
    if (!project) return false;
    await deps.settings.update('vertexProject', project);
  }
  return true;
}

/** Vertex takes no API key: sign in, import ADC, or go back to the Gemini API. */
async function explainVertexCredentials(has: 'apiKey' | 'none'): Promise<void> {
  const signIn = vscode.l10n.t('Sign In');
  const adc = vscode.l10n.t('Use Application Default Credentials');
  const geminiApi = vscode.l10n.t('Switch to Gemini API');
  const picked = await vscode.window.showWarningMessage(
    has === 'apiKey'
      ? vscode.l10n.t('Vertex AI accepts only a Google identity, never an API key: nothing was sent. Sign in with Google, use Application Default Credentials, or switch back to the Gemini API.')
      : vscode.l10n.t('Vertex AI needs a Google identity: sign in with Google or use Application Default Credentials.'),
    signIn,
    adc,
    geminiApi,
  );
  if (picked === signIn) await vscode.commands.executeCommand('gemini.signIn');
  else if (picked === adc) await vscode.commands.executeCommand('gemini.useApplicationDefaultCredentials');
  else if (picked === geminiApi) await vscode.commands.executeCommand('gemini.selectBackend', { backend: 'geminiApi' });
}

async function pickBackend(deps: BackendCommandDeps): Promise<BackendKind | undefined> {
  const current = deps.settings.get('backend');
  type Item = vscode.QuickPickItem & { backend: BackendKind };
  const mark = (b: BackendKind) => (b === current ? '$(check) ' : '');
  const vertexNow = current === 'vertex' ? ` · ${deps.settings.get('vertexProject') || vscode.l10n.t('no project')} · ${deps.settings.get('vertexLocation')}` : '';
  const picked = await vscode.window.showQuickPick<Item>(
    [
      { backend: 'geminiApi', label: `${mark('geminiApi')}$(sparkle) ${vscode.l10n.t('Gemini API')}`, description: 'generativelanguage.googleapis.com', detail: vscode.l10n.t('An API key from Google AI Studio, or your Google account.') },
      {
        backend: 'vertex',
        label: `${mark('vertex')}$(cloud) ${vscode.l10n.t('Vertex AI')}`,
        description: plainText(`aiplatform.googleapis.com${vertexNow}`, 200),
        detail: vscode.l10n.t('Your Google Cloud project and its IAM: a Google account or ADC, never an API key.'),
      },
    ],
    { title: vscode.l10n.t('Gemini: Select Backend'), placeHolder: vscode.l10n.t('Which Google service should answer?'), ignoreFocusOut: true },
  );
  return picked?.backend;
}

/** The projects the active identity can see, with type-in for any id (also when the list cannot be had). */
async function pickProject(deps: BackendCommandDeps): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { project?: string };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = vscode.l10n.t('Gemini: Vertex AI project');
  pick.placeholder = vscode.l10n.t('Loading your Google Cloud projects… or type a project ID');
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  pick.busy = true;
  const current = deps.settings.get('vertexProject');
  let listed: Item[] = [];
  const typedItem = (): Item[] => {
    const typed = pick.value.trim();
    if (!typed || listed.some((i) => i.project === typed)) return [];
    const problem = projectIdProblem(typed);
    return [{ label: problem ? `$(warning) ${typed}` : `$(edit) ${typed}`, description: problem ? plainText(problem, 200) : vscode.l10n.t('use this project ID'), alwaysShow: true, ...(!problem && { project: typed }) }];
  };
  const render = () => (pick.items = [...typedItem(), ...listed]);
  const controller = new AbortController();
  pick.onDidChangeValue(render);
  pick.onDidHide(() => controller.abort());
  const chosen = showQuickPick(pick, (item) => item?.project);
  void loadProjects(deps, controller.signal).then((result) => {
    pick.busy = false;
    if ('projects' in result) {
      listed = result.projects.map((p: CloudProject) => ({
        project: p.projectId,
        label: `${p.projectId === current ? '$(check) ' : ''}${p.projectId}`,
        ...(p.name && { description: plainText(p.name, 200) }),
      }));
      pick.placeholder = listed.length ? vscode.l10n.t('Choose a project, or type a project ID') : vscode.l10n.t('Your account sees no project here: type a project ID');
    } else {
      pick.placeholder = result.problem;
    }
    render();
    const active = pick.items.find((i) => i.project === current);
    if (active) pick.activeItems = [active];
  });
  return chosen;
}

async function loadProjects(deps: BackendCommandDeps, signal: AbortSignal): Promise<{ projects: CloudProject[] } | { problem: string }> {
  const credential = (await deps.activeCredential())?.provider;
  if (!credential || credential.kind === 'apiKey') return { problem: vscode.l10n.t('Sign in with Google to see your projects, or type a project ID') };
  try {
    const base = resourceManagerUrl({ location: deps.settings.get('vertexLocation'), baseUrl: deps.settings.get('vertexBaseUrl') });
    return { projects: await listProjects(base, credential, signal) };
  } catch (err) {
    if (signal.aborted) return { projects: [] };
    const why = isGeminiError(err) ? [err.status, err.reason ?? err.googleStatus ?? err.kind].filter(Boolean).join(' ') : 'error';
    deps.log.warn(`[selectBackend] could not list projects (${why})`);
    return { problem: vscode.l10n.t('Could not list your projects ({0}): type a project ID', why) };
  }
}

async function pickLocation(current: string): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { location?: string };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = vscode.l10n.t('Gemini: Vertex AI location');
  pick.placeholder = vscode.l10n.t('"global" serves Gemini 3 models and spreads load; or choose a region');
  pick.ignoreFocusOut = true;
  const regions: Item[] = VERTEX_LOCATIONS.map((location) => ({
    location,
    label: `${location === current ? '$(check) ' : ''}${location}`,
    ...(location === 'global' && { description: vscode.l10n.t('recommended · required by Gemini 3 models') }),
  }));
  const render = () => {
    const typed = pick.value.trim();
    const custom = typed && !VERTEX_LOCATIONS.includes(typed) && !locationProblem(typed) ? [{ location: typed, label: `$(edit) ${typed}`, description: vscode.l10n.t('use this location'), alwaysShow: true }] : [];
    pick.items = [...custom, ...regions];
  };
  render();
  const active = pick.items.find((i) => i.location === current);
  if (active) pick.activeItems = [active];
  pick.onDidChangeValue(render);
  return showQuickPick(pick, (item) => item?.location);
}
