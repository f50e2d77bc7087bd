// Browser-side (module state: the one mounted dialog).
// fetch() that handles step-up: when the server answers 403 `step_up_required`, the step-up dialog
// (StepUpDialog, mounted once per page) asks for the second factor, and the request is sent again.

type Listener = (resolve: (proven: boolean) => void) => void;
let listener: Listener | null = null;

/** The dialog registers here; returns the function that unregisters it. */
export function onStepUpRequested(next: Listener): () => void {
  listener = next;
  return () => {
    if (listener === next) listener = null;
  };
}

/** Asks the mounted dialog for the factor; false when none is mounted or the person cancels. */
function requestStepUp(): Promise<boolean> {
  const current = listener;
  if (!current) return Promise.resolve(false);
  return new Promise((resolve) => current(resolve));
}

async function needsStepUp(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  const payload = (await response.clone().json().catch(() => null)) as { error?: { reason?: string } } | null;
  return payload?.error?.reason === 'step_up_required';
}

/** Sends the request; after a proven step-up, once more. The body must be a string (it is sent twice). */
export async function fetchWithStepUp(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  if (!(await needsStepUp(response))) return response;
  if (!(await requestStepUp())) return response;
  return fetch(url, init);
}
