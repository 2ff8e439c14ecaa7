import type { DisposableStore } from '../../core/common/events';
import type { Services } from '../services';

/** Registers the results panel (and its serializer) and the Summarize / Generate commands. */
export function registerResults(_services: Services, _disposables: DisposableStore): void {
  // Filled in by the results-panel work (issue 5).
}
